import dev.llmstack.it.Rig

// Before deploy: the namespace exists and holds someone else's ConfigMap (no labels), which undeploy must not touch.
def kube = Rig.kube(kubeconfig)
def ns = 'it-undeploy-delete-volumes'
kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create()
kube.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
    .withNewMetadata().withName('foreign').endMetadata().addToData('owner', 'someone else').build()).create()
return true
