import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-undeploy-keeps-pvc-and-foreign'
def stack = 'undeploy-keeps-pvc-and-foreign'
def log = new File(basedir, 'build.log').text

assert log.contains('Applied 5 objects: 5 created, 0 configured, 0 unchanged.')
assert log.contains('Kept PersistentVolumeClaim dev-pgdata (its data; -Dllmstack.deleteVolumes deletes it).')
assert log.contains("Undeployed stack '${stack}': deleted 4 objects, kept 1: PersistentVolumeClaim dev-pgdata (its data; -Dllmstack.deleteVolumes deletes it).")
// the second undeploy found only the claim again
assert log.contains("Undeployed stack '${stack}': deleted 0 objects, kept 1: PersistentVolumeClaim dev-pgdata (its data; -Dllmstack.deleteVolumes deletes it).")
assert !log.contains('BUILD FAILURE')

// Gone: every object of the stack but the claim, and the Deployment's pods.
assert kube.apps().deployments().inNamespace(ns).list().items.isEmpty()
assert kube.pods().inNamespace(ns).list().items.isEmpty()
assert kube.services().inNamespace(ns).list().items.isEmpty()
assert kube.configMaps().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.isEmpty()
assert kube.secrets().inNamespace(ns).list().items*.metadata*.name == ['llmstack-' + stack] // only the ApplySet parent
// Kept: the claim (bound, with its data) and the foreign ConfigMap, untouched.
def pvc = kube.persistentVolumeClaims().inNamespace(ns).withName('dev-pgdata').get()
assert pvc != null && pvc.metadata.deletionTimestamp == null && pvc.status.phase == 'Bound'
def foreign = kube.configMaps().inNamespace(ns).withName('foreign').get()
assert foreign.data == [owner: 'someone else']
// The ApplySet parent remains as the record of the kept claim, so a later undeploy -Dllmstack.deleteVolumes finds it.
def parent = kube.secrets().inNamespace(ns).withName('llmstack-' + stack).get()
assert parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'] == 'PersistentVolumeClaim'
return true
