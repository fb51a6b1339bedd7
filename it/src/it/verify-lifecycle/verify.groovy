import dev.llmstack.it.Rig

def ns = 'it-verify-lifecycle'
def kube = Rig.kube(kubeconfig)

// The failsafe tests ran against the stack through the forwards, and passed.
def report = new File(basedir, 'target/failsafe-reports/TEST-it.StackIT.xml')
assert report.isFile()
assert report.text.contains('tests="2"') && report.text.contains('failures="0"') && report.text.contains('errors="0"')
def endpoints = new Properties()
new File(basedir, 'target/llmstack/endpoints.properties').withInputStream { endpoints.load(it) }
assert endpoints['llmstack.web.url'] == 'http://127.0.0.1:18080'
assert endpoints['llmstack.api.port'] == '18081'

// After verify: nothing of the stack is left in the API server ...
assert kube.apps().deployments().inNamespace(ns).withLabel('llmstack.dev/stack', 'verify-lifecycle').list().items.isEmpty()
assert kube.services().inNamespace(ns).withLabel('llmstack.dev/stack', 'verify-lifecycle').list().items.isEmpty()
assert kube.secrets().inNamespace(ns).withName('llmstack-verify-lifecycle').get() == null
assert kube.pods().inNamespace(ns).list().items.isEmpty()

// ... and no forward port is open any more.
[18080, 18081].each { port ->
  try {
    new Socket('127.0.0.1', port).close()
    assert false : "port ${port} still open"
  } catch (ConnectException expected) {
  }
}
def log = new File(basedir, 'build.log').text
assert log.contains("Stopped the port forwards of stack 'verify-lifecycle'")
assert log.indexOf('llmstack:0.1.0-SNAPSHOT:forward') < log.indexOf('Tests run: 2')
return true
