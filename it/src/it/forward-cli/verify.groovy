import java.util.concurrent.TimeUnit

def output = new File(basedir, 'forward.log')
def command = ["${mavenHome}/bin/mvn", '-B', '-s', itSettings, "-Dmaven.repo.local=${itLocalRepo}",
               "-Dsettings.security=${itSettingsSecurity}", 'llmstack:forward']
def pb = new ProcessBuilder(command.collect { it.toString() }).directory(basedir).redirectErrorStream(true).redirectOutput(output)
pb.environment().put('KUBECONFIG', kubeconfig)
def process = pb.start()
try {
  // Blocks like kubectl port-forward: wait (bounded) for its "press Ctrl-C" line.
  long deadline = System.currentTimeMillis() + 90_000
  while (!output.text.contains('press Ctrl-C') && process.isAlive() && System.currentTimeMillis() < deadline) {
    Thread.sleep(200) // waiting for a child process's output; not a readiness check of the plugin
  }
  assert process.isAlive() : output.text
  assert output.text.contains('http://127.0.0.1:18110')

  def body = new URL('http://127.0.0.1:18110/from-cli').text
  assert body.contains('"pod":"dev-web-') && body.contains('"path":"/from-cli"')
} finally {
  ['kill', '-INT', Long.toString(process.pid())].execute().waitFor()
  assert process.waitFor(30, TimeUnit.SECONDS) : 'forward did not stop on SIGINT'
}
assert output.text.contains('Stopped forwarding.')
try {
  new Socket('127.0.0.1', 18110).close()
  assert false : 'port 18110 still open after Ctrl-C'
} catch (ConnectException expected) {
}
return true
