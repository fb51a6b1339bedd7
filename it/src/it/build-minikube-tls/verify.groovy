import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
// Build 1: the daemon came from minikube's docker-env: TCP with client certificates, not DOCKER_HOST.
Rig.assertLogContains(log, "tcp://127.0.0.1:23760 (minikube profile 'minikube' docker-env)")
assert new File(Rig.rigDir(), 'minikube-calls.log').text.contains('-p minikube docker-env --shell none')
// Build 2: the same daemon at the remembered address, minikube not asked
Rig.assertLogContains(log, "tcp://127.0.0.1:23760 (minikube profile 'minikube' docker-env, remembered)")
def remembered = Rig.json(new File(basedir, 'target/llmstack/minikube-docker-env.json'))
assert remembered.get('host').asText() == 'tcp://127.0.0.1:23760'
assert remembered.get('daemonId').asText() == Rig.docker('info', '-f', '{{.ID}}').trim()
assert !new File(basedir, 'target/llmstack/minikube-docker-env.json').text.contains('PRIVATE KEY')
def ref = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images').get(0).get('reference').asText()
assert Rig.inspect(ref).get('Id').asText() == Rig.inspect('it-build-minikube-tls/app:dev').get('Id').asText()
assert Rig.fileInImage(ref, '/srv/hello.txt').content() == 'hello from build-minikube-tls\n'
return true
