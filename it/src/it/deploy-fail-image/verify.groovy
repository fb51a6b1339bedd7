import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-fail-image'
def log = new File(basedir, 'build.log')

Rig.assertCleanFailure(log,
    "Deployment dev-app cannot start container 'app' of pod dev-app-",
    ": ErrImageNeverPull",
    'docker-env',
    'remove it with mvn llmstack:undeploy')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"

// The stack is left for inspection: the Deployment is applied, its pod is stuck on the image.
def d = kube.apps().deployments().inNamespace(ns).withName('dev-app').get()
assert d != null && !d.status?.availableReplicas
def pods = kube.pods().inNamespace(ns).withLabel('app', 'app').list().items
assert pods.size() == 1
assert pods[0].status.containerStatuses[0].state.waiting.reason == 'ErrImageNeverPull'
return true
