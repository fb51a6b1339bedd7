import dev.llmstack.it.Rig

def log = new File(basedir, 'build.log')
Rig.assertCleanFailure(log,
    ':check (default) @ check-no-minikube ---',
    // deploy's own error, as llmstack:deploy would say it
    "No kubeconfig at ${new File(basedir, 'no-kubeconfig').canonicalPath}.",
    // then what is missing and the start command sized for the overlay (2 x 1 CPU / 1.5 GiB)
    'No minikube CLI is on PATH: install minikube (https://minikube.sigs.k8s.io/docs/start/), then minikube start -p minikube --cpus 3 --memory 5g (room for this overlay).')
// Stopped before the step that stands for npm, and before any image was built.
assert !new File(basedir, 'target/npm-ran').exists()
assert !log.text.contains('npm-would-run-here')
assert !Rig.imageExists('it-check-none/app:dev')
// Within seconds: from the goal's start to the failure (each line starts with its time, invoker.mavenOpts).
def at = { String marker ->
  def line = log.readLines().find { it.contains(marker) }
  assert line : "no line with ${marker}"
  java.time.LocalTime.parse(line.substring(0, 12)).toNanoOfDay() / 1e9
}
def seconds = at('BUILD FAILURE') - at(':check (default) @ check-no-minikube')
println "check-no-minikube: llmstack:check failed ${seconds} s after it started"
assert seconds < 10 : "took ${seconds} s"
return true
