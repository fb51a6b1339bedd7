import dev.llmstack.it.Rig

def ns = 'it-verify-lifecycle-failing-it'
def kube = Rig.kube(kubeconfig)
def log = new File(basedir, 'build.log').text

// The tests ran (two passed, one failed on purpose) and the build failed in failsafe:verify ...
def report = new File(basedir, 'target/failsafe-reports/TEST-it.StackIT.xml').text
assert report.contains('tests="3"') && report.contains('failures="1"')
assert log.contains('BUILD FAILURE')
assert log.indexOf("Undeployed stack 'verify-lifecycle-failing-it'") < log.indexOf('BUILD FAILURE')
assert log.contains('maven-failsafe-plugin:3.5.2:verify')

// ... after the stack had been undeployed and the forwards stopped.
assert kube.apps().deployments().inNamespace(ns).list().items.isEmpty()
assert kube.services().inNamespace(ns).list().items.isEmpty()
[18090, 18091].each { port ->
  try {
    new Socket('127.0.0.1', port).close()
    assert false : "port ${port} still open"
  } catch (ConnectException expected) {
  }
}
return true
