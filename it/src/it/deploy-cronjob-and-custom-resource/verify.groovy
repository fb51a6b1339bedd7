import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-cronjob-and-custom-resource'
def stack = 'deploy-cronjob-and-custom-resource'
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
Rig.assertNoStackTrace(log)
assert log.contains('CronJob dev-nightly applied; nothing to wait for (its Jobs run on its schedule).')
assert log.contains('All 3 workloads ready') // the ReplicaSet and the two widgets

def widgets = kube.genericKubernetesResources('example.com/v1', 'Widget').inNamespace(ns)
assert widgets.list().items*.metadata*.name.sort() == ['dev-gadget', 'dev-gizmo']
assert widgets.withName('dev-gadget').get().metadata.labels['llmstack.dev/stack'] == stack
assert kube.batch().v1().cronjobs().inNamespace(ns).withName('dev-nightly').get() != null
assert kube.apps().replicaSets().inNamespace(ns).withName('dev-workers').get().status.readyReplicas == 2
def parent = kube.secrets().inNamespace(ns).withName('llmstack-' + stack).get()
def kinds = parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'].split(',') as List
assert kinds.containsAll(['CronJob.batch', 'CustomResourceDefinition.apiextensions.k8s.io', 'ReplicaSet.apps', 'Widget.example.com'])

// A widget leaves the overlay: the next deploy prunes it.
def manifest = new File(basedir, 'k8s/overlays/dev/widgets.yaml')
manifest.text = manifest.text.split('---')[0]
def pruned = Rig.mvn(this.binding.variables, 'prune.log', 'llmstack:deploy')
assert pruned.succeeded() : pruned.log()
assert pruned.log().contains('Pruned Widget dev-gizmo (no longer in the overlay).')
assert widgets.withName('dev-gizmo').get() == null

// Someone else's Widget in another namespace: undeploy deletes the stack's widget but keeps the definition.
kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns + '-other').endMetadata().build()).create()
kube.genericKubernetesResources('example.com/v1', 'Widget').inNamespace(ns + '-other').resource(
    new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion('example.com/v1').withKind('Widget')
        .withNewMetadata().withName('theirs').endMetadata().build()).create()
def undeploy = Rig.mvn(this.binding.variables, 'undeploy.log', 'llmstack:undeploy')
assert undeploy.succeeded() : undeploy.log()
assert undeploy.log().contains("Kept CustomResourceDefinition widgets.example.com (objects of its kind remain: Widget ${ns}-other/theirs; deleting the definition would delete them).")
assert widgets.withName('dev-gadget').get() == null
assert kube.apiextensions().v1().customResourceDefinitions().withName('widgets.example.com').get() != null
assert kube.genericKubernetesResources('example.com/v1', 'Widget').inNamespace(ns + '-other').withName('theirs').get() != null
assert kube.batch().v1().cronjobs().inNamespace(ns).withName('dev-nightly').get() == null
return true
