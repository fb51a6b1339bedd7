import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-fail-progress-deadline'
def log = new File(basedir, 'build.log')

Rig.assertCleanFailure(log,
    'Deployment dev-litellm did not finish its rollout within progressDeadlineSeconds (ProgressDeadlineExceeded',
    'kubectl describe deployment -n it-deploy-fail-progress-deadline dev-litellm')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"

def d = kube.apps().deployments().inNamespace(ns).withName('dev-litellm').get()
def progressing = d.status.conditions.find { it.type == 'Progressing' }
assert progressing.status == 'False' && progressing.reason == 'ProgressDeadlineExceeded'
return true
