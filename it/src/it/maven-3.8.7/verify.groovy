import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-maven-387'
def log = new File(basedir, 'build.log').text

// Both runs were Maven 3.8.7's (the debug log starts with the version)
assert log.contains('Apache Maven 3.8.7') : 'not run by Maven 3.8.7'
assert !log.contains('Apache Maven 3.9')

// First deploy: built the image into the daemon, applied and waited
assert log.contains('[api] built it-maven-387/api:')
assert log.contains('Applied 6 objects: 6 created, 0 configured, 0 unchanged.')

// Second: the no-change check read the cluster with plain requests (no fabric8 client) and applied nothing
assert log.contains('No-change check: plain requests to ')
assert log.contains('No-change check: nothing to apply')
assert log.contains('Applied 6 objects: 0 created, 0 configured, 6 unchanged.')

// The API server holds the stack, labelled
def deployments = kube.apps().deployments().inNamespace(ns).list().items
assert !deployments.isEmpty()
assert deployments.every { it.metadata.labels['app.kubernetes.io/managed-by'] == 'llmstack-maven-plugin' }
return true
