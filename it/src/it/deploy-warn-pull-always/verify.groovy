import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-warn-pull-always'
def log = new File(basedir, 'build.log').text

assert log.contains('BUILD SUCCESS')
def built = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0).get('reference').asText()
assert built ==~ /it-deploy-warn-pull-always\/app:[0-9a-f]{12}/
assert log.contains("[WARNING] Deployment dev-app: container 'app' uses the locally built image " + built
    + ' with imagePullPolicy Always, which makes the kubelet pull it from a registry that does not have it. Use IfNotPresent or Never.')
// Only the built image is warned about: the sidecar's public image may well be pulled.
assert !log.contains("container 'sidecar' uses the locally built image")
assert log.contains('All 1 workloads ready')

// Applied as written (a warning, not a rewrite), with the built image's digest tag.
def c = kube.apps().deployments().inNamespace(ns).withName('dev-app').get().spec.template.spec.containers
assert c[0].image == built && c[0].imagePullPolicy == 'Always'
assert c[1].image == 'busybox:1.36'
return true
