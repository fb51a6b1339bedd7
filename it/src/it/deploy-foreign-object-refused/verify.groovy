import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-foreign-object-refused'
def stack = 'deploy-foreign-object-refused'

// Refused, naming the object and who made it, with the fix; nothing of the stack reached the cluster.
Rig.assertCleanFailure(new File(basedir, 'build.log'),
    "Deploy would take over 1 object that stack '${stack}' does not own: Service dev-web in namespace ${ns}: managed by kubectl-create (field managers). Nothing was applied.",
    '-Dllmstack.adopt=Service/dev-web')
assert kube.configMaps().inNamespace(ns).withName('dev-web-config').get() == null
assert kube.secrets().inNamespace(ns).withName('llmstack-' + stack).get() == null
def untouched = kube.services().inNamespace(ns).withName('dev-web').get()
assert untouched.metadata.labels == [team: 'payments']
assert untouched.spec.ports*.port == [8080]

// Adopted explicitly: the Service becomes the stack's. As server-side apply does with force, the fields the
// overlay sets are taken over, and the fields only the earlier manager set stay (its label, its port 8080).
def adopted = Rig.mvn(this.binding.variables, 'adopt.log', 'llmstack:deploy', '-Dllmstack.adopt=Service/dev-web')
assert adopted.succeeded() : adopted.log()
assert adopted.log().contains("Adopting Service dev-web (managed by kubectl-create (field managers)) into stack '${stack}' (<adopt>): undeploy will delete it.")
def service = kube.services().inNamespace(ns).withName('dev-web').get()
assert service.metadata.labels['llmstack.dev/stack'] == stack
assert service.metadata.labels['applyset.kubernetes.io/part-of'] != null
assert service.metadata.labels['team'] == 'payments'
assert service.spec.selector == [app: 'web']
assert service.spec.ports*.port.contains(80)
assert service.metadata.managedFields*.manager.contains('llmstack')

// A deploy without adopt now finds it the stack's own.
def again = Rig.mvn(this.binding.variables, 'again.log', 'llmstack:deploy')
assert again.succeeded() : again.log()

// Undeploy deletes it with the rest, and leaves the namespace that existed before.
def undeploy = Rig.mvn(this.binding.variables, 'undeploy.log', 'llmstack:undeploy')
assert undeploy.succeeded() : undeploy.log()
assert kube.services().inNamespace(ns).withName('dev-web').get() == null
assert kube.namespaces().withName(ns).get() != null
return true
