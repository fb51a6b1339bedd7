import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-no-change'
def log = new File(basedir, 'build.log').text

// The second deploy: image not rebuilt, every object applied as a no-op.
assert log.contains('[api] unchanged, not rebuilt')
assert log.contains('Applied 6 objects: 0 created, 0 configured, 6 unchanged.')
assert log.contains('All 2 workloads ready')

// The API server agrees: after the second deploy every object (and pod) is the very one the first left,
// at the same resourceVersion (the rig bumps it on any write, a no-op apply keeps it), and nothing was added.
def snapshot = new File(basedir, 'target/after-first-deploy')
def current = [
    configmaps  : kube.configMaps().inNamespace(ns).list().items,
    secrets     : kube.secrets().inNamespace(ns).list().items,
    services    : kube.services().inNamespace(ns).list().items,
    pods        : kube.pods().inNamespace(ns).list().items,
    deployments : kube.apps().deployments().inNamespace(ns).list().items,
    statefulsets: kube.apps().statefulSets().inNamespace(ns).list().items,
]
int compared = 0
current.each { plural, items ->
  def before = Rig.json(new File(snapshot, plural + '.json')).get('items').collectEntries {
    [(it.get('metadata').get('name').asText()): it.get('metadata')]
  }
  def now = items.collectEntries { [(it.metadata.name): it.metadata] }
  assert now.keySet() == before.keySet() : "${plural} differ: ${before.keySet()} then ${now.keySet()}"
  now.each { name, meta ->
    assert meta.uid == before[name].get('uid').asText() : "${plural}/${name} was recreated"
    assert meta.resourceVersion == before[name].get('resourceVersion').asText() : "${plural}/${name} was modified by the second deploy"
    compared++
  }
}
// 6 stack objects + the ApplySet parent + 2 pods
assert compared == 9
assert current.secrets*.metadata*.name.contains('llmstack-deploy-no-change')
return true
