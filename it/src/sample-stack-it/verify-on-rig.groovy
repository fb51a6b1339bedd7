// Post-build hook of the sample-stack invoker execution (it/pom.xml): the real sample-stack build ran
// against the rig (real dockerd and registry mirror, simulated cluster).
import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log').text
def ns = 'llmstack-sample'
def stack = 'sample-stack'
def kube = Rig.kube(kubeconfig)
def names = ['react-client', 'litellm', 'r2r', 'openwebui', 'postgres']

// llmstack:check ran first (validate): the daemon and the simulated cluster answered before npm started.
assert log.indexOf(':check (default) @ sample-stack') >= 0 && log.indexOf(':check (default) @ sample-stack') < log.indexOf('(npm-ci) @ sample-stack')
assert log.contains('which answers.') && log =~ /Kube context minikube \(http:\/\/127\.0\.0\.1:\d+\/?\) answers\./
// The React client's dist/ (a layer source) is made by npm later in the same build: check notes it, it does not fail.
assert log.contains("Image 'react-client': layer source ${basedir}/react-client/dist does not exist yet: build needs it")

// The React client was built and tested by npm, in a real browser (unless -Dskip.npm).
assert new File(basedir, 'react-client/dist/index.html').text.contains('<div id="root">')
assert new File(basedir, 'target/react-client-e2e.png').length() > 0 : 'npm run e2e left no screenshot'

// ManifestsTest rendered both overlays with the real kustomize and passed; so did ReadmeFiguresTest (the READMEs'
// figures recomputed from them) and LiteLlmSupervisorTest (the litellm image's PID 1 under dash and busybox).
['ManifestsTest': 20, 'ReadmeFiguresTest': 4, 'LiteLlmSupervisorTest': 4].each { test, atLeast ->
  def report = new File(basedir, "target/surefire-reports/TEST-dev.llmstack.sample.${test}.xml").text
  assert report =~ /tests="(\d+)"/ && (report =~ /tests="(\d+)"/)[0][1].toInteger() >= atLeast
  assert report.contains('failures="0"') && report.contains('errors="0"') && report.contains('skipped="0"')
}

// Five images in the daemon under their digest tags (and :dev), built on the stand-in bases via the mirror.
def built = Rig.json(new File(basedir, 'target/llmstack/images.json')).get('images')
assert built.size() == 5
def references = [:]
built.each { references[it.get('name').asText()] = it.get('reference').asText() }
assert references.keySet() == names as Set
references.each { name, ref ->
  assert ref ==~ /${name}:[0-9a-f]{12}/
  def image = Rig.inspect(ref)
  assert image.get('RepoTags')*.asText().contains(name + ':dev')
}
assert Rig.inspect(references['litellm']).get('Config').get('Labels').get('dev.llmstack.rig.standin').asText() == 'ghcr.io/berriai/litellm:main-v1.63.14'
assert Rig.inspect(references['react-client']).get('Config').get('Labels').get('dev.llmstack.rig.standin').asText() == 'nginx:1.27-alpine'
assert Rig.inspect(references['litellm']).get('Config').get('Cmd')*.asText() == ['--config', '/app/config.yaml', '--port', '4000']
// LiteLLM runs under the supervisor that restarts it on SIGHUP (llmstack:dev's <afterSync> after a config sync)
assert Rig.inspect(references['litellm']).get('Config').get('Entrypoint')*.asText() == ['/bin/sh', '/app/llmstack-supervisor.sh', 'litellm']
assert Rig.fileInImage(references['litellm'], '/app/llmstack-supervisor.sh').mode() == '755'
assert Rig.fileInImage(references['litellm'], '/app/config.yaml').content().contains('model_name: gpt-4o-mini')
assert Rig.fileInImage(references['postgres'], '/docker-entrypoint-initdb.d/01-r2r.sql').content().contains('CREATE EXTENSION IF NOT EXISTS vector')
assert Rig.fileInImage(references['r2r'], '/app/r2r.toml').content().contains('host = "dev-postgres"')
assert Rig.fileInImage(references['react-client'], '/usr/share/nginx/html/index.html').content().contains('<div id="root">')
def entry = Rig.fileInImage(references['react-client'], '/docker-entrypoint.d/40-llmstack-config.sh')
assert entry.mode() == '755' && entry.content().contains('VITE_API_BASE_URL') && entry.content().contains('LLM_API_KEY')
// Open WebUI's image registers the dev key before its own start.sh
assert Rig.inspect(references['openwebui']).get('Config').get('Cmd')*.asText() == ['bash', '/app/backend/llmstack-start.sh']
assert Rig.fileInImage(references['openwebui'], '/app/backend/llmstack-start.sh').mode() == '755'
assert Rig.fileInImage(references['openwebui'], '/app/backend/llmstack_api_key.py').content().contains('LLMSTACK_API_KEY')
assert Rig.fileInImage(references['react-client'], '/etc/nginx/conf.d/default.conf').content().contains('listen 3000;')

// The dev overlay's seven workloads were reported ready in the seed's dependency order.
def readyAt = [:]
(log =~ /\d+\/7 ready \((dev-[a-z0-9-]+) after ([0-9.]+) s\)/).each { all, name, seconds ->
  readyAt[name] = [index: log.indexOf(all), seconds: seconds.toDouble()]
}
assert readyAt.keySet() == ['postgres', 'redis', 'qdrant', 'litellm', 'r2r', 'openwebui', 'react-client'].collect { 'dev-' + it } as Set : readyAt
assert readyAt['dev-r2r'].index > readyAt['dev-postgres'].index && readyAt['dev-r2r'].index > readyAt['dev-qdrant'].index
assert readyAt['dev-r2r'].seconds >= readyAt['dev-postgres'].seconds && readyAt['dev-r2r'].seconds >= readyAt['dev-qdrant'].seconds
assert readyAt['dev-openwebui'].index > readyAt['dev-litellm'].index
assert readyAt['dev-openwebui'].seconds >= readyAt['dev-litellm'].seconds
assert log.contains('All 7 workloads ready')

// Forwarded: the seven services' endpoints were exported; the smoke tests were skipped, saying why.
def endpoints = new Properties()
new File(basedir, 'target/llmstack/endpoints.properties').withInputStream { endpoints.load(it) }
['react-client', 'openwebui', 'litellm', 'r2r', 'qdrant', 'postgres', 'redis'].each {
  assert endpoints["llmstack.${it}.url"] : "no endpoint for ${it}"
}
assert log.contains('Smoke tests skipped: the simulated cluster')
assert !new File(basedir, 'target/failsafe-reports').listFiles()?.any { it.name.startsWith('TEST-') }

// After verify the API server holds nothing of the stack.
assert kube.apps().deployments().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.isEmpty()
assert kube.apps().statefulSets().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.isEmpty()
assert kube.services().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.isEmpty()
assert kube.configMaps().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.isEmpty()
assert kube.secrets().inNamespace(ns).withLabel('llmstack.dev/stack', stack).list().items.isEmpty()
assert kube.secrets().inNamespace(ns).withName('llmstack-' + stack).get() == null
assert kube.pods().inNamespace(ns).list().items.isEmpty()

// The dev secrets' values (public, but secrets to the plugin) reached neither the log nor what the
// plugin wrote (target/llmstack); ManifestsTest itself holds them, so not all of target/ is checked.
['postgres-dev-password-123', 'sk-dev-master-key-12345678901234567890', 'sk-dev-openwebui-key-12345678901234567890'].each { secret ->
  assert !log.contains(secret)
  new File(basedir, 'target/llmstack').eachFileRecurse(groovy.io.FileType.FILES) { f ->
    if (f.length() < 50_000_000) {
      assert !new String(f.bytes, 'ISO-8859-1').contains(secret) : "secret value in ${f}"
    }
  }
}

// Leave the rig's daemon as found.
references.each { name, ref -> Rig.removeImages(ref, name + ':dev') }
return true
