import dev.llmstack.it.Rig

def stoppedAt = new File(basedir, 'stopped-at')
assert stoppedAt.exists() : 'the API server was never stopped: deploy did not reach its wait'
def afterStop = (System.currentTimeMillis() - (stoppedAt.text as long)) / 1000
Rig.assertCleanFailure(new File(basedir, 'build.log'),
    "Lost the API server of context 'minikube' (",
    'while waiting for the stack to become ready',
    'Everything was applied before',
    'run deploy again')
assert afterStop < 25 : "deploy failed ${afterStop} s after the API server went away, not within ~15 s"
def log = new File(basedir, 'build.log').text
assert !log.contains('The stack was not ready within') // not blamed on the workloads after the timeout
def warnings = log.readLines().count { it.startsWith('[WARNING]') || it.startsWith('WARNING') }
assert warnings < 5 : "the informers' reconnects reached the log (${warnings} warnings)"
return true
