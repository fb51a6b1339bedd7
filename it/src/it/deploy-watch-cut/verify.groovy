import dev.llmstack.it.Rig
import java.time.Instant

def kube = Rig.kube(kubeconfig)
def ns = 'it-deploy-watch-cut'
def log = new File(basedir, 'build.log').text

assert log.contains('BUILD SUCCESS')
assert log.contains('All 1 workloads ready')

// The cut happened, hit open watches, and did so while the deploy was still waiting.
def cuts = new File(basedir, 'cuts.txt').readLines()
def hit = cuts.find { it ==~ /\S+ 200 \{"cut":[1-9]\d*\}/ }
assert hit : "no cut hit an open watch: ${cuts}"
def cutAt = Instant.parse(hit.split(' ')[0])
def server = kube.masterUrl.toString().replaceAll('/$', '')
def readyAt = Instant.parse(Rig.json(new URL(server + "/rig/ready-at?namespace=${ns}&name=dev-slow").openStream().withCloseable {
  def f = File.createTempFile('ready-at', '.json'); f.bytes = it.bytes; f.deleteOnExit(); f
}).get('readyAt').asText())
assert cutAt.isBefore(readyAt) : "cut at ${cutAt}, but dev-slow was ready at ${readyAt}"

def d = kube.apps().deployments().inNamespace(ns).withName('dev-slow').get()
assert d.status.availableReplicas == 1
return true
