import dev.llmstack.it.Rig

def ns = 'it-verify-lifecycle-keep'
def kube = Rig.kube(kubeconfig)
def log = new File(basedir, 'build.log').text
assert log.contains("Keeping stack 'verify-lifecycle-keep' running because llmstack.keep is true; remove it later with mvn llmstack:undeploy.")
assert log.contains('BUILD SUCCESS')
// Still there, and ready.
['dev-web', 'dev-api'].each { name ->
  def d = kube.apps().deployments().inNamespace(ns).withName(name).get()
  assert d != null && d.status.availableReplicas == 1
}
assert kube.secrets().inNamespace(ns).withName('llmstack-verify-lifecycle-keep').get() != null
return true
