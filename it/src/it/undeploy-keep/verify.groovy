import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-undeploy-keep'
def stack = 'undeploy-keep'
def log = new File(basedir, 'build.log').text

assert log.contains("Keeping stack '${stack}' running because llmstack.keep is true; remove it later with mvn llmstack:undeploy.")
assert !log.contains('Undeployed stack')

// Everything is still there and running.
def d = kube.apps().deployments().inNamespace(ns).withName('dev-postgres').get()
assert d.metadata.deletionTimestamp == null && d.status.availableReplicas == 1
assert kube.pods().inNamespace(ns).withLabel('app', 'postgres').list().items.size() == 1
assert kube.services().inNamespace(ns).withName('dev-postgres').get() != null
assert kube.persistentVolumeClaims().inNamespace(ns).withName('dev-pgdata').get() != null
assert kube.configMaps().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.size() == 1
def secrets = kube.secrets().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items*.metadata*.name.sort()
assert secrets.size() == 2 && secrets[0].startsWith('dev-postgres-secrets-') && secrets[1] == 'llmstack-' + stack
return true
