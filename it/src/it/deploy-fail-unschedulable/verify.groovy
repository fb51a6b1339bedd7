import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-fail-unschedulable'
def log = new File(basedir, 'build.log')

Rig.assertCleanFailure(log,
    'Deployment dev-ollama cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.',
    // the numbers behind it: the pod's requests against the Node the rig's kubelet registered
    ' requests 0.5 CPUs and 12 GiB; node minikube has 4 CPUs and 8 GiB allocatable, of which its ',
    'minikube delete, then minikube start --cpus <n> --memory <m>; llmstack:check says how much the overlay needs')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"

def pods = kube.pods().inNamespace(ns).withLabel('app', 'ollama').list().items
assert pods.size() == 1
def scheduled = pods[0].status.conditions.find { it.type == 'PodScheduled' }
assert scheduled.status == 'False' && scheduled.reason == 'Unschedulable'
return true
