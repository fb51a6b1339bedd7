import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-bad-unauthorized'

Rig.assertCleanFailure(new File(basedir, 'build.log'),
    "The API server of context 'minikube' (",
    'refused its credentials (401 Unauthorized: the token or client certificate is wrong or has expired).',
    'minikube update-context')
def log = new File(basedir, 'build.log').text
assert !log.contains('not reachable')
Rig.assertNowhere(basedir, 'expired-token-0123456789')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"
assert kube.namespaces().withName(ns).get() == null
return true
