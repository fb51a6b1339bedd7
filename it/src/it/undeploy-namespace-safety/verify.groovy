import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-undeploy-namespace-safety'
def stack = 'undeploy-namespace-safety'
Rig.assertLogContains(new File(basedir, 'build.log'), 'BUILD SUCCESS')

// The stack created its namespace (a member), and the StatefulSet's controller made one claim per replica.
def namespace = kube.namespaces().withName(ns).get()
assert namespace.metadata.labels['llmstack.dev/stack'] == stack
assert kube.persistentVolumeClaims().inNamespace(ns).list().items*.metadata*.name.sort() == ['data-dev-db-0', 'data-dev-db-1']

// Someone puts their own object into the namespace.
kube.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
    .withNewMetadata().withName('hand-made').endMetadata().addToData('owner', 'someone else').build()).create()

// First undeploy: deletes the workloads, keeps claims, the annotated ConfigMap and the namespace, saying why.
def first = Rig.mvn(this.binding.variables, 'undeploy-1.log', 'llmstack:undeploy')
assert first.succeeded() : first.log()
Rig.assertNoStackTrace(first.log())
assert first.log().contains('Kept ConfigMap dev-notes (annotated llmstack.dev/resource-policy: keep).')
assert first.log().contains('Kept PersistentVolumeClaim data-dev-db-0 (a volume a StatefulSet of the stack made from its volumeClaimTemplates; -Dllmstack.deleteVolumes deletes it).')
assert first.log().contains("Kept Namespace ${ns} (it still holds ")
assert first.log().contains('ConfigMap hand-made')
assert kube.namespaces().withName(ns).get().status.phase == 'Active'
assert kube.configMaps().inNamespace(ns).withName('hand-made').get().data == [owner: 'someone else']
assert kube.configMaps().inNamespace(ns).withName('dev-notes').get() != null
assert kube.persistentVolumeClaims().inNamespace(ns).list().items.size() == 2
assert kube.apps().statefulSets().inNamespace(ns).list().items.isEmpty()
assert kube.apps().deployments().inNamespace(ns).list().items.isEmpty()
assert kube.services().inNamespace(ns).list().items.isEmpty()

// The owner takes their objects away; the kept ConfigMap is removed by hand (it is never deleted by the stack).
kube.configMaps().inNamespace(ns).withName('hand-made').delete()
kube.configMaps().inNamespace(ns).withName('dev-notes').delete()

// Second undeploy with deleteVolumes: the claims go, then the namespace, now empty but for the stack's record.
def second = Rig.mvn(this.binding.variables, 'undeploy-2.log', 'llmstack:undeploy', '-Dllmstack.deleteVolumes=true')
assert second.succeeded() : second.log()
assert second.log().contains("Undeployed stack '${stack}': deleted ")
assert !second.log().contains('Kept ')
assert kube.persistentVolumeClaims().inNamespace(ns).list().items.isEmpty()
assert kube.namespaces().withName(ns).get() == null

// A third undeploy finds nothing.
def third = Rig.mvn(this.binding.variables, 'undeploy-3.log', 'llmstack:undeploy')
assert third.succeeded() && third.log().contains("Nothing to undeploy: no stack '${stack}' recorded in namespace ${ns}.")
return true
