import java.util.concurrent.TimeUnit
import dev.llmstack.it.Rig

// mvn llmstack:dev in the background, like a developer in a terminal; then edit files and check the
// running containers (real containers on the rig's dockerd backing the simulated pods).
def output = new File(basedir, 'dev.log')
def command = ["${mavenHome}/bin/mvn", '-B', '-s', itSettings, "-Dmaven.repo.local=${itLocalRepo}",
               "-Dsettings.security=${itSettingsSecurity}", "-Dllmstack.cacheDirectory=${itLocalRepo}/../jib-base-cache",
               'llmstack:dev']
def pb = new ProcessBuilder(command.collect { it.toString() }).directory(basedir).redirectErrorStream(true).redirectOutput(output)
pb.environment().put('KUBECONFIG', kubeconfig)
pb.environment().put('DOCKER_HOST', dockerHost)

def docker = { List<String> args ->
  def p = new ProcessBuilder((['docker'] + args).collect { it.toString() }).redirectErrorStream(true)
  p.environment().put('DOCKER_HOST', dockerHost)
  def proc = p.start()
  def text = proc.inputStream.text
  proc.waitFor()
  [proc.exitValue(), text.trim()]
}
// The container running the current image of a workload (the rig names containers after their pod).
def containerOf = { String app ->
  def (rc, text) = docker(['ps', '--filter', 'label=dev.llmstack.rig.pod', '--format', '{{.Names}} {{.Image}}'])
  def lines = text.readLines().findAll { it.contains("-it-dev-loop-dev-${app}-") || it.contains("it-dev-loop/${app}:") }
  lines.size() == 1 ? lines[0].split(' ')[0] : null
}
def fileIn = { String container, String path ->
  def (rc, text) = docker(['exec', container, 'cat', path])
  rc == 0 ? text : null
}
// Bounded polls of what a user would look at (the container, the log); not a stand-in for a readiness check.
def waitFor = { String what, long millis, Closure condition ->
  long start = System.nanoTime()
  while (!condition()) {
    assert (System.nanoTime() - start) / 1e6 < millis : "${what}: not within ${millis} ms\n" + output.text
    Thread.sleep(50)
  }
  (System.nanoTime() - start) / 1e6 as long
}
def logSince = { int offset -> output.text.substring(offset) }
def timings = [:]

def process = pb.start()
try {
  waitFor('dev loop watching', 240_000) { output.text.contains('press Ctrl-C') || !process.isAlive() }
  assert process.isAlive() : output.text
  assert output.text.contains('http://127.0.0.1:18210')
  def web = containerOf('web')
  def api = containerOf('api')
  assert web && api : "containers of both pods run\n" + docker(['ps', '-a'])[1]
  assert fileIn(web, '/www/direct.txt') == 'direct v1'
  def imagesBefore = docker(['images', '--format', '{{.ID}}', '--filter', 'reference=it-dev-loop/*'])[1].readLines().toSet()

  // 1. A synced file: new content in the container within 2 s, same container, nothing rebuilt.
  int mark = output.text.length()
  new File(basedir, 'www/direct.txt').text = 'direct v2\n'
  timings.sync = waitFor('synced file in the container', 2_000) { fileIn(web, '/www/direct.txt') == 'direct v2' }
  waitFor('sync logged', 5_000) { logSince(mark).contains('Synced 1 file(s) to 1 pod(s) of web') }
  assert containerOf('web') == web
  assert !logSince(mark).contains('Rebuilt') && !logSince(mark).contains('rebuilt')
  assert docker(['images', '--format', '{{.ID}}', '--filter', 'reference=it-dev-loop/*'])[1].readLines().toSet() == imagesBefore

  // 1b. LiteLLM's case: a config file of the image, synced, read by the process only at start. The dev overlay must
  // leave it where sync can write it (on a kubelet a configMap mounted over it is read-only, and with subPath never
  // updated), and <afterSync> must restart the process in place (kill -HUP 1 to the supervisor): the same container
  // then answers the new model list through the forward, without a rebuild or a new pod.
  def llm = containerOf('llm')
  assert llm : "container of llm runs\n" + docker(['ps', '-a'])[1]
  def modelList = { -> try { new URL('http://127.0.0.1:18212/config.yaml').text } catch (IOException e) { e.toString() } }
  assert modelList().contains('stand-in-v1')
  mark = output.text.length()
  new File(basedir, 'llm/config.yaml').text = 'model_list:\n  - model_name: stand-in-v1\n  - model_name: stand-in-v2\n'
  timings.configSync = waitFor('new model list answered through the forward', 5_000) { modelList().contains('stand-in-v2') }
  waitFor('config sync logged', 5_000) { logSince(mark).contains("Synced 1 file(s) to 1 pod(s) of llm and ran 'sh -c kill -HUP 1' there") }
  assert containerOf('llm') == llm
  assert !logSince(mark).contains('Rebuilt')
  // the process was started again by the supervisor (its line in the container's log), not the container
  assert docker(['logs', llm])[1].contains('llmstack-supervisor: SIGHUP: starting sh again')
  // the next save restarts it again: one more restart, same container
  new File(basedir, 'llm/config.yaml').text = 'model_list:\n  - model_name: stand-in-v3\n'
  timings.configSync2 = waitFor('second model list answered', 5_000) { modelList().contains('stand-in-v3') && !modelList().contains('stand-in-v2') }
  assert containerOf('llm') == llm

  // 2. A source of the dev command: the command runs, what it wrote is synced.
  mark = output.text.length()
  new File(basedir, 'web-src/page.html').text = 'page v2\n'
  timings.commandSync = waitFor('rebuilt page in the container', 5_000) { fileIn(web, '/www/page.html') == 'page v2' }
  // the loop logs after the sync: wait for it, so that the next step's log starts after this one
  waitFor('command and sync logged', 5_000) { logSince(mark).contains('synced 1 file(s)') }

  // 3. A deleted synced file is deleted in the container.
  mark = output.text.length()
  new File(basedir, 'www/direct.txt').delete()
  waitFor('deleted file gone from the container', 5_000) { fileIn(web, '/www/direct.txt') == null }
  waitFor('deletion logged', 5_000) { logSince(mark).contains('Synced 1 file(s) to 1 pod(s) of web') }
  assert containerOf('web') == web

  // 4. A non-synced input: only api is rebuilt and rolled; web keeps its container.
  mark = output.text.length()
  new File(basedir, 'api/version.txt').text = '2\n'
  timings.rebuild = waitFor('api rolled to a new image', 60_000) {
    def now = containerOf('api'); now && now != api && fileIn(now, '/app/version.txt') == '2'
  }
  waitFor('rebuild logged', 30_000) { logSince(mark).contains('rolled deployment/dev-api; ready') }
  def rebuildLog = logSince(mark)
  assert rebuildLog.contains('Rebuilt api (') && !rebuildLog.contains('web (') : rebuildLog
  assert rebuildLog.contains('rolled deployment/dev-api;') && !(rebuildLog =~ /rolled [^;]*dev-web/) : rebuildLog
  assert containerOf('web') == web
  api = containerOf('api')

  // 5. A broken build is reported, the loop keeps watching, fixing it recovers.
  mark = output.text.length()
  new File(basedir, 'web-src/page.html').text = 'BROKEN\n'
  waitFor('build error reported', 10_000) { logSince(mark).contains('syntax error: unexpected BROKEN') }
  waitFor('loop still watching', 5_000) { logSince(mark).contains('Still watching') } // logged right after the error
  assert process.isAlive()
  new File(basedir, 'web-src/page.html').text = 'page v3\n'
  waitFor('fixed page in the container', 10_000) { fileIn(web, '/www/page.html') == 'page v3' }
  new File(basedir, 'api/version.txt').delete()
  new File(basedir, 'api').deleteDir()
  waitFor('missing layer source reported', 30_000) { logSince(mark) =~ /\[ERROR\] .*api.*layer source .*does not exist/ }
  new File(basedir, 'api').mkdirs()
  new File(basedir, 'api/version.txt').text = '3\n'
  waitFor('api recovered', 60_000) { def now = containerOf('api'); now && fileIn(now, '/app/version.txt') == '3' }

  // The forward still reaches web (its pod was never replaced) and api (replaced twice).
  assert new URL('http://127.0.0.1:18210/page.html').text.trim() == 'page v3'
  assert new URL('http://127.0.0.1:18211/version.txt').text.trim() == '3'
} finally {
  ['kill', '-INT', Long.toString(process.pid())].execute().waitFor()
  assert process.waitFor(90, TimeUnit.SECONDS) : 'dev did not stop on SIGINT\n' + output.text
}
println "dev-loop timings (ms): ${timings}"
new File(basedir, 'timings.properties').text = timings.collect { k, v -> "${k}=${v}" }.join('\n') + '\n'

// 6. Ctrl-C: forwards closed, stack undeployed, containers gone.
def log = output.text
assert log.contains('Stopped watching and forwarding.')
assert log.contains('it-dev-loop') && log =~ /(?i)deleted|removed/
try {
  new Socket('127.0.0.1', 18210).close()
  assert false : 'port 18210 still open after Ctrl-C'
} catch (ConnectException expected) {
}
def deployments = Rig.kube(kubeconfig.toString()).apps().deployments().inNamespace('it-dev-loop').list().items
assert deployments.isEmpty() : deployments*.metadata*.name
waitFor('containers removed', 30_000) { containerOf('web') == null && containerOf('api') == null && containerOf('llm') == null }
return true
