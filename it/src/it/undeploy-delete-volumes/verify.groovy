import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-undeploy-delete-volumes'
def stack = 'undeploy-delete-volumes'
def log = new File(basedir, 'build.log').text

assert log.contains("Undeployed stack '${stack}': deleted 5 objects.")
assert !log.contains('Kept PersistentVolumeClaim')
// nothing left to do the second time
assert log.contains("Nothing to undeploy: no stack '${stack}' recorded in namespace ${ns}.")
assert !log.contains('BUILD FAILURE')

assert kube.persistentVolumeClaims().inNamespace(ns).list().items.isEmpty()
assert kube.apps().deployments().inNamespace(ns).list().items.isEmpty()
assert kube.pods().inNamespace(ns).list().items.isEmpty()
assert kube.services().inNamespace(ns).list().items.isEmpty()
assert kube.secrets().inNamespace(ns).list().items.isEmpty() // the generated Secret and the ApplySet parent
assert kube.configMaps().inNamespace(ns).list().items*.metadata*.name == ['foreign']
assert kube.configMaps().inNamespace(ns).withName('foreign').get().data == [owner: 'someone else']
return true
