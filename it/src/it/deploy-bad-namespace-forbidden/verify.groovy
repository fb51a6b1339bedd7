import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'forbidden-deploy-bad-namespace'
def log = new File(basedir, 'build.log')

Rig.assertCleanFailure(log,
    'Namespace forbidden-deploy-bad-namespace does not exist and cannot be created: ',
    'namespaces is forbidden: User "llmstack" cannot create resource "namespaces"',
    'kubectl create namespace forbidden-deploy-bad-namespace')
// the server's words, not fabric8's "Failure executing: POST at: ... Received status: Status(...)"
assert !log.text.contains('Received status') && !log.text.contains('Failure executing')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"

// Nothing reached the API server.
assert kube.namespaces().withName(ns).get() == null
def stackObjects = [kube.configMaps(), kube.secrets(), kube.services(), kube.apps().deployments(), kube.pods()].collectMany {
  it.inAnyNamespace().withLabel('llmstack.dev/stack', 'deploy-bad-namespace-forbidden').list().items*.metadata*.name
}
assert stackObjects.isEmpty()
return true
