import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-crash-fix-redeploy'

// The first deploy fails with a crash-loop diagnosis.
Rig.assertCleanFailure(new File(basedir, 'build.log'), 'keeps crashing (CrashLoopBackOff')

// The developer fixes both templates (drops the crash) and deploys again.
def manifest = new File(basedir, 'k8s/overlays/dev/app.yaml')
manifest.text = manifest.text.readLines().findAll { !it.contains('rig.llmstack.dev/') }
    .collect { it.contains('annotations:') ? null : it }.findAll { it != null }.join('\n') + '\n'
assert !manifest.text.contains('CrashLoopBackOff')
def fixed = Rig.mvn(this.binding.variables, 'fixed.log', 'llmstack:deploy')
assert fixed.succeeded() : fixed.log()
assert !fixed.log().contains('keeps crashing')
assert fixed.log().contains('All 2 workloads ready')
// the StatefulSet's controller waits for its broken pod forever; deploy deletes it (the docs' forced rollback)
assert fixed.log().contains('Deleting pod dev-db-0 of StatefulSet dev-db: it runs the previous revision and is not ready')

// The Deployment rolled to a second ReplicaSet; the first (the crashing template) is scaled to zero and its pod is gone.
def deployment = kube.apps().deployments().inNamespace(ns).withName('dev-api').get()
def replicaSets = kube.apps().replicaSets().inNamespace(ns).list().items.findAll { it.metadata.ownerReferences*.uid.contains(deployment.metadata.uid) }
assert replicaSets.size() == 2
def current = replicaSets.find { it.metadata.annotations['deployment.kubernetes.io/revision'] == deployment.metadata.annotations['deployment.kubernetes.io/revision'] }
assert current.status.readyReplicas == 1
assert replicaSets.find { it != current }.spec.replicas == 0
def apiPods = kube.pods().inNamespace(ns).withLabel('app', 'api').list().items.findAll { it.metadata.deletionTimestamp == null }
assert apiPods.size() == 1 && apiPods[0].metadata.ownerReferences[0].uid == current.metadata.uid

// The StatefulSet completed its rollout: its one pod runs the update revision.
def sts = kube.apps().statefulSets().inNamespace(ns).withName('dev-db').get()
assert sts.status.currentRevision == sts.status.updateRevision
def dbPod = kube.pods().inNamespace(ns).withName('dev-db-0').get()
assert dbPod.metadata.labels['controller-revision-hash'] == sts.status.updateRevision
assert dbPod.status.conditions.find { it.type == 'Ready' }.status == 'True'
return true
