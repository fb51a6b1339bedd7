import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-timeout'
def log = new File(basedir, 'build.log')

Rig.assertCleanFailure(log,
    'The stack was not ready within 6 s: 1 of 1 workloads not ready: Deployment dev-openwebui (readiness probe failing: Readiness probe failed: HTTP probe failed with statuscode: 503)',
    'raise <timeout> (-Dllmstack.timeout)')
assert log.text.contains('Waiting for 1 workloads to become ready (timeout 6 s).')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s (timeout 6 s)"

def pods = kube.pods().inNamespace(ns).withLabel('app', 'openwebui').list().items
assert pods.size() == 1 && pods[0].status.phase == 'Running'
assert pods[0].status.conditions.find { it.type == 'Ready' }.status == 'False'
return true
