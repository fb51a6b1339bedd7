import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-bad-unreachable'

Rig.assertCleanFailure(new File(basedir, 'build.log'),
    "The API server of context 'minikube' (http://127.0.0.1:1/) is not reachable: connection refused.",
    'Start the cluster (minikube start)')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"
assert elapsed < 20 : "an unreachable server took ${elapsed} s to report"
// Nothing reached the API server: no namespace, no ApplySet, no object with the stack's label anywhere.
assert kube.namespaces().withName(ns).get() == null
def stackObjects = [kube.configMaps(), kube.secrets(), kube.services(), kube.apps().deployments(), kube.pods()].collectMany {
  it.inAnyNamespace().withLabel('llmstack.dev/stack', 'deploy-bad-unreachable').list().items*.metadata*.name
}
assert stackObjects.isEmpty()
assert kube.secrets().inAnyNamespace().list().items.every { it.metadata.name != 'llmstack-deploy-bad-unreachable' }
return true
