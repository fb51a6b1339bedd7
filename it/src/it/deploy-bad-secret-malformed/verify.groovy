import dev.llmstack.it.Rig

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-bad-secret-malformed'

Rig.assertCleanFailure(new File(basedir, 'build.log'),
    'Document 1 (Secret dev-provider-keys) rendered from ',
    "does not match the Secret schema: field 'stringData' cannot be read as a mapping (key: value).")
Rig.assertNowhere(basedir, 'sk-it-malformed-DO-NOT-PRINT-7f3a9c')
assert kube.namespaces().withName(ns).get() == null
return true
