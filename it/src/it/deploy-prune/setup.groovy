import dev.llmstack.it.Rig
import java.security.MessageDigest

// Before the first deploy: the namespace exists and holds objects that are not the stack's.
def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-prune'
kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create()
// someone else's, no labels
kube.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
    .withNewMetadata().withName('foreign').endMetadata().addToData('owner', 'someone else').build()).create()
// carries the stack's ApplySet part-of label (KEP-3659 id) but not the stack's labels: must not be pruned either
def id = 'applyset-' + Base64.urlEncoder.withoutPadding().encodeToString(
    MessageDigest.getInstance('SHA-256').digest("llmstack-deploy-prune.${ns}.Secret.".toString().getBytes('UTF-8'))) + '-v1'
new File(basedir, 'applyset-id').text = id
kube.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
    .withNewMetadata().withName('dev-lookalike').addToLabels('applyset.kubernetes.io/part-of', id).endMetadata()
    .addToData('owner', 'kubectl apply --applyset').build()).create()
return true
