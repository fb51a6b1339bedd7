import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-maven-387'
def log = new File(basedir, 'build.log').text

// Both runs were Maven 3.8.7's (the debug log starts with the version)
assert log.contains('Apache Maven 3.8.7') : 'not run by Maven 3.8.7'
assert !log.contains('Apache Maven 3.9')

// First deploy: the image into the daemon (built, or found there from an earlier run), applied and waited
assert log =~ /\[api\] (built it-maven-387\/api:|unchanged, not rebuilt)/
assert log.contains('Applied 6 objects: 6 created, 0 configured, 0 unchanged.')

// Second: the no-change check read the cluster with plain requests (no fabric8 client) and applied nothing
assert log.contains('No-change check: plain requests to ')
assert log.contains('No-change check: nothing to apply')
assert log.contains('Applied 6 objects: 0 created, 0 configured, 6 unchanged.')

// Even at -X: no bearer token, no Secret value, plain or base64 (HttpClient's wire and header logs stay off;
// the second deploy lists the stack's Secrets)
assert !log.contains('kube-rig-minikube') : 'the kubeconfig token is in the debug log'
assert !log.contains('maven-387-key') && !log.contains('maven-387-key'.bytes.encodeBase64().toString()) : 'a Secret value is in the debug log'
assert log.contains('http-outgoing') // HttpClient's other debug lines are still there

// The API server holds the stack, labelled
def deployments = kube.apps().deployments().inNamespace(ns).list().items
assert !deployments.isEmpty()
assert deployments.every { it.metadata.labels['app.kubernetes.io/managed-by'] == 'llmstack-maven-plugin' }
return true
