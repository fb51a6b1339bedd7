import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
Rig.assertLogContains(log, "minikube profile 'containerd' has no Docker daemon to build into",
    'minikube image load')
def tar = new File(basedir, 'target/llmstack/images/app.tar')
assert tar.isFile()
assert new File(Rig.rigDir(), 'minikube-image-load.log').readLines().contains(tar.canonicalPath)
// The stand-in loads into the rig daemon what minikube would load into containerd.
def ref = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0).get('reference').asText()
assert Rig.imageExists(ref) && Rig.imageExists('it-build-minikube-containerd/app:dev')
return true
