import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-two-stacks-same-names'
def log = new File(basedir, 'build.log').text

// The second stack was refused, naming the first as the owner of both objects.
assert log.contains("Deploy would take over 2 objects that stack 'second' does not own: ")
assert log.contains("ConfigMap dev-app-config in namespace ${ns}: a member of stack 'first' (another ApplySet, ")
assert log.contains("Deployment dev-app in namespace ${ns}: a member of stack 'first'")
assert log.contains('Nothing was applied.')
Rig.assertNoStackTrace(log)

// Both objects are still the first stack's, as it applied them; the second stack left no record.
def configMap = kube.configMaps().inNamespace(ns).withName('dev-app-config').get()
def deployment = kube.apps().deployments().inNamespace(ns).withName('dev-app').get()
[configMap, deployment].each {
  assert it.metadata.labels['llmstack.dev/stack'] == 'first'
  // applied by the first stack only (the controller writes status as a manager of its own)
  assert it.metadata.managedFields.findAll { e -> e.operation == 'Apply' }*.manager == ['llmstack']
}
assert kube.secrets().inNamespace(ns).withName('llmstack-second').get() == null

// Undeploying the second stack touches nothing of the first.
def undeploy = Rig.mvn(this.binding.variables, 'undeploy-second.log', 'llmstack:undeploy', '-Dllmstack.stack=second')
assert undeploy.succeeded() && undeploy.log().contains("Nothing to undeploy: no stack 'second' recorded in namespace ${ns}.")
assert kube.configMaps().inNamespace(ns).withName('dev-app-config').get().metadata.resourceVersion == configMap.metadata.resourceVersion
assert kube.apps().deployments().inNamespace(ns).withName('dev-app').get() != null

def first = Rig.mvn(this.binding.variables, 'undeploy-first.log', 'llmstack:undeploy', '-Dllmstack.stack=first')
assert first.succeeded() : first.log()
assert kube.configMaps().inNamespace(ns).withName('dev-app-config').get() == null
return true
