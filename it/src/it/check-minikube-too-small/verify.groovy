import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
Rig.assertLogContains(log,
    'BUILD SUCCESS',
    // build's way to the images' daemon: minikube's docker-env (the rig's TLS listener), which answers
    'Images go to Docker daemon tcp://127.0.0.1:23760',
    'Kube context minikube (',
    "[WARNING] minikube profile 'small' (2 CPUs and 2 GiB) is too small for this overlay: its 2 pods request 2 CPUs and 3 GiB",
    "2.75 CPUs and 4.17 GiB in all, so pods would stay Pending.",
    'minikube delete -p small && minikube start -p small --cpus 3 --memory 5g')
// The stand-in was asked for the profile's size the light way (no status checks over ssh).
def calls = new File(System.getenv('LLMSTACK_RIG_DIR') ?: '/tmp/llmstack-rig', 'minikube-calls.log').readLines()
assert calls.any { it.contains('profile list -o json --light') }
// Nothing was built or deployed.
assert !Rig.imageExists('it-check-small/app:dev')

// deploy itself warns too, before it applies (asked of minikube while the images are built), and goes on
def deploy = Rig.mvn(this.binding.variables, 'deploy.log', 'llmstack:deploy')
assert deploy.succeeded() : deploy.log()
assert deploy.log().contains("[WARNING] minikube profile 'small' (2 CPUs and 2 GiB) is too small for this overlay")
assert deploy.log().indexOf("is too small for this overlay") < deploy.log().indexOf('Applying stack')
def undeploy = Rig.mvn(this.binding.variables, 'undeploy.log', 'llmstack:undeploy')
assert undeploy.succeeded() : undeploy.log()
return true
