import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
// The daemon came from minikube's docker-env: TCP with client certificates, not DOCKER_HOST.
Rig.assertLogContains(log, "tcp://127.0.0.1:23760 (minikube profile 'minikube' docker-env)")
assert new File(Rig.rigDir(), 'minikube-calls.log').text.contains('-p minikube docker-env --shell none')
def ref = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0).get('reference').asText()
assert Rig.inspect(ref).get('Id').asText() == Rig.inspect('it-build-minikube-tls/app:dev').get('Id').asText()
assert Rig.fileInImage(ref, '/srv/hello.txt').content() == 'hello from build-minikube-tls\n'
return true
