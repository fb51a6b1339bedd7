import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-fail-crashloop'
def log = new File(basedir, 'build.log')

Rig.assertCleanFailure(log,
    "Deployment dev-worker: container 'worker' keeps crashing (CrashLoopBackOff",
    'worker 1.2 starting',
    'FATAL: DATABASE_URL is not set',
    'kubectl logs -n it-deploy-fail-crashloop')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"

def pods = kube.pods().inNamespace(ns).withLabel('app', 'worker').list().items
assert pods.size() == 1
assert pods[0].status.containerStatuses[0].state.waiting.reason == 'CrashLoopBackOff'
assert !kube.apps().deployments().inNamespace(ns).withName('dev-worker').get().status?.availableReplicas
return true
