import dev.llmstack.it.Rig
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Instant

// A background thread (this JVM outlives the build) that cuts the deploy's watches while it waits: once the
// Deployment has been applied and the plugin had ~1.5 s to open its informers, POST <server>/rig/cut-watches
// until a cut hits open watches. Each answer is recorded for verify.groovy.
def kube = Rig.kube(kubeconfig)
def server = kube.masterUrl.toString().replaceAll('/$', '')
def record = new File(basedir, 'cuts.txt')
record.text = ''
def thread = new Thread({
  def http = HttpClient.newHttpClient()
  long giveUp = System.currentTimeMillis() + 60_000
  try {
    while (System.currentTimeMillis() < giveUp
        && kube.apps().deployments().inNamespace('it-deploy-watch-cut').withName('dev-slow').get() == null) {
      Thread.sleep(200)
    }
    Thread.sleep(1500)
    while (System.currentTimeMillis() < giveUp) {
      def response = http.send(HttpRequest.newBuilder(URI.create(server + '/rig/cut-watches'))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
      record << "${Instant.now()} ${response.statusCode()} ${response.body()}\n"
      def m = response.body() =~ /"cut":(\d+)/
      if (m.find() && (m.group(1) as int) > 0) {
        break
      }
      Thread.sleep(300)
    }
  } catch (Throwable t) {
    record << "error ${t}\n"
  } finally {
    kube.close()
  }
} as Runnable, 'deploy-watch-cut')
thread.daemon = true
thread.start()
return true
