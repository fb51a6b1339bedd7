import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-waits'
def log = new File(basedir, 'build.log').text

// Objects carry the stack's labels and the ApplySet's; the built image is referenced by its digest tag.
def r2r = kube.apps().deployments().inNamespace(ns).withName('dev-r2r').get()
assert r2r.metadata.labels['app.kubernetes.io/managed-by'] == 'llmstack-maven-plugin'
assert r2r.metadata.labels['llmstack.dev/stack'] == 'deploy-waits'
def built = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0).get('reference').asText()
assert built ==~ /it-deploy-waits\/r2r:[0-9a-f]{12}/
assert r2r.spec.template.spec.containers[0].image == built
assert r2r.spec.template.spec.initContainers[0].image == 'busybox:1.36' // not ours: untouched
assert r2r.status.availableReplicas == 1

// The ApplySet (KEP-3659) records the members.
def parent = kube.secrets().inNamespace(ns).withName('llmstack-deploy-waits').get()
def id = parent.metadata.labels['applyset.kubernetes.io/id']
assert id ==~ /applyset-[A-Za-z0-9_-]{43}-v1/
assert parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'] == 'Deployment.apps,Secret,Service,StatefulSet.apps'
assert parent.metadata.annotations['applyset.kubernetes.io/tooling'].startsWith('llmstack-maven-plugin/')
def members = kube.secrets().inNamespace(ns).withLabel('applyset.kubernetes.io/part-of', id).list().items*.metadata*.name
assert members.size() == 1 && members[0].startsWith('dev-r2r-secrets-')
assert kube.apps().statefulSets().inNamespace(ns).withName('dev-postgres').get().metadata.labels['applyset.kubernetes.io/part-of'] == id

// Dependency order: r2r's init container held it until postgres was ready, and the log said so.
assert log.contains('waiting for dev-r2r: init container wait-for-postgres')
assert log.indexOf('(dev-postgres after') < log.indexOf('(dev-r2r after')
assert log.contains('All 2 workloads ready')

// The dev secret's value is nowhere in the log or target/.
Rig.assertNowhere(basedir, 'it-secret-value-7f3a')
return true
