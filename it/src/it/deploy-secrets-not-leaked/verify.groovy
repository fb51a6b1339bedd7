import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-secrets-not-leaked'
def log = new File(basedir, 'build.log').text

assert log.contains('[DEBUG]') // -X was on
assert log.contains('All 1 workloads ready')

// The secrets reached the cluster...
def secrets = kube.secrets().inNamespace(ns).withLabel('llmstack.dev/stack', 'deploy-secrets-not-leaked').list().items
// (the rig stores stringData as applied; a real API server would fold it into data)
def decoded = secrets.collectMany { s ->
  (s.data ?: [:]).values().collect { new String(it.decodeBase64(), 'UTF-8') } + (s.stringData ?: [:]).values()
}
def values = ['it-debug-secret-literal-91c2', 'it-debug-secret-envfile-5d0e', 'it-debug-secret-stringdata-3b7f']
assert decoded.containsAll(values) : decoded
// ...and are nowhere in the debug log or target/, not even base64-encoded.
values.each { v ->
  Rig.assertNowhere(basedir, v)
  Rig.assertNowhere(basedir, v.bytes.encodeBase64().toString())
}
// Nor the kubeconfig's token (HttpClient's header log is kept off even at -X)
Rig.assertNowhere(basedir, 'kube-rig-minikube')
return true
