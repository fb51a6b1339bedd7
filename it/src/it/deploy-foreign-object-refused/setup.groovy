import dev.llmstack.it.Rig

// Before deploy: the namespace exists and holds a hand-made Service with the name the overlay gives its Service.
def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-foreign-object-refused'
kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create()
// created as kubectl create does: a POST with fieldManager=kubectl-create
def service = new io.fabric8.kubernetes.api.model.ServiceBuilder()
    .withNewMetadata().withName('dev-web').withLabels([team: 'payments']).endMetadata()
    .withNewSpec().withSelector([app: 'payments']).addNewPort().withName('http').withPort(8080).endPort().endSpec()
    .build()
kube.raw("${kube.masterUrl}api/v1/namespaces/${ns}/services?fieldManager=kubectl-create", 'POST', service)
return true
