import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-prune'
def log = new File(basedir, 'build.log').text

assert log.contains('Pruned ConfigMap dev-b (no longer in the overlay).')
assert log.contains('Pruned Service dev-svc (no longer in the overlay).')
assert log.contains('Applied 2 objects: 0 created, 0 configured, 2 unchanged; pruned ')

// b and the Service are gone; a, the Deployment (and its pod) stay; the foreign and the look-alike are intact.
def cms = kube.configMaps().inNamespace(ns).list().items.collectEntries { [(it.metadata.name): it] }
assert !cms.containsKey('dev-b')
assert cms['dev-a'].data == [A: '1']
assert cms['foreign'].data == [owner: 'someone else'] && !cms['foreign'].metadata.labels
assert cms['dev-lookalike'].data == [owner: 'kubectl apply --applyset']
assert kube.services().inNamespace(ns).withName('dev-svc').get() == null
assert kube.apps().deployments().inNamespace(ns).withName('dev-app').get().status.availableReplicas == 1

// The ApplySet now lists only the kinds still in the overlay.
def parent = kube.secrets().inNamespace(ns).withName('llmstack-deploy-prune').get()
assert parent.metadata.labels['applyset.kubernetes.io/id'] == new File(basedir, 'applyset-id').text
assert parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds'] == 'ConfigMap,Deployment.apps'
return true
