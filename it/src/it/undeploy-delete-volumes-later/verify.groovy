import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-undeploy-delete-volumes-later'
def stack = 'undeploy-delete-volumes-later'
def log = new File(basedir, 'build.log').text

assert log.contains("Undeployed stack '${stack}': deleted 4 objects, kept 1: PersistentVolumeClaim dev-pgdata (its data; -Dllmstack.deleteVolumes deletes it).")
assert log.contains("Undeployed stack '${stack}': deleted 1 object.")
assert !log.contains('BUILD FAILURE')

assert kube.persistentVolumeClaims().inNamespace(ns).list().items.isEmpty()
assert kube.secrets().inNamespace(ns).list().items.isEmpty()
assert kube.configMaps().inNamespace(ns).list().items.isEmpty()
assert kube.apps().deployments().inNamespace(ns).list().items.isEmpty()
assert kube.pods().inNamespace(ns).list().items.isEmpty()
return true
