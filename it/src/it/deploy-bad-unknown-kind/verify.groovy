import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-bad-unknown-kind'

// a custom kind: only the cluster can say it does not serve it; refused before anything is applied
Rig.assertCleanFailure(new File(basedir, 'build.log'),
    "does not serve example.com/v1 Widget (dev-gadget), and no CustomResourceDefinition in the overlay defines it. Nothing was applied.",
    'kubectl api-resources')
def elapsed = (System.currentTimeMillis() - (new File(basedir, 'started-at').text as long)) / 1000
assert elapsed < 45 : "failed after ${elapsed} s, not fast (timeout is 300 s)"

// Nothing reached the API server: no namespace, no ApplySet, no object with the stack's label anywhere.
assert kube.namespaces().withName(ns).get() == null
def stackObjects = [kube.configMaps(), kube.secrets(), kube.services(), kube.apps().deployments(), kube.pods()].collectMany {
  it.inAnyNamespace().withLabel('llmstack.dev/stack', 'deploy-bad-unknown-kind').list().items*.metadata*.name
}
assert stackObjects.isEmpty()
assert kube.secrets().inAnyNamespace().list().items.every { it.metadata.name != 'llmstack-deploy-bad-unknown-kind' }
return true
