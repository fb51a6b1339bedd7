import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-maven-4'
def log = new File(basedir, 'build.log').text

// Both runs were Maven 4's (the debug log starts with the version)
assert log.contains('Apache Maven 4.0.0-rc-4') : 'not run by Maven 4.0.0-rc-4'
assert !log.contains('Apache Maven 3.')

// build, then deploy: the image built once, found unchanged by deploy, applied and waited for
assert log =~ /\[api\] (built it-maven-4\/api:|unchanged, not rebuilt)/
assert log.contains('[api] unchanged, not rebuilt')
assert log.contains('Applied 6 objects: 6 created, 0 configured, 0 unchanged.')

// No deprecation warning for the logger levels the plugin sets (Maven 4 reads maven.logger.*; the old
// org.slf4j.simpleLogger.* keys only with a warning naming them)
assert !log.contains('org.slf4j.simpleLogger') : 'Maven 4 warned about an org.slf4j.simpleLogger property'
assert !(log =~ /(?i)deprecated.*(logger|slf4j)/)

// Even at -X: no bearer token, no Secret value, plain or base64
assert !log.contains('kube-rig-minikube') : 'the kubeconfig token is in the debug log'
assert !log.contains('maven-4-key') && !log.contains('maven-4-key'.bytes.encodeBase64().toString()) : 'a Secret value is in the debug log'
Rig.assertNowhere(basedir, 'kube-rig-minikube')

def deployments = kube.apps().deployments().inNamespace(ns).list().items
assert !deployments.isEmpty()
assert deployments.every { it.metadata.labels['app.kubernetes.io/managed-by'] == 'llmstack-maven-plugin' }
return true
