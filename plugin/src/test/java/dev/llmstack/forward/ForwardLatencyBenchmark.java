package dev.llmstack.forward;

import com.sun.net.httpserver.HttpServer;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a forwarded connection costs: the latency of one HTTP request on a NEW connection, straight
 * to a local server vs through llmstack:forward (API server port-forward over WebSocket, in the kube
 * rig, to the same server registered as the pod's backend). Not a test; run with
 * {@code ./mvnw -q -pl plugin exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.llmstack.forward.ForwardLatencyBenchmark} (after a test-compile).
 */
public final class ForwardLatencyBenchmark {

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    HttpServer pod = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pod.createContext("/", exchange -> {
      byte[] body = "ok".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    pod.start();
    try (KubeRig rig = KubeRig.start()) {
      int servicePort = freePort();
      Map<String, String> labels = Map.of("app", "web", StackDecorator.STACK, "bench", StackDecorator.MANAGED_BY, StackDecorator.MANAGED_BY_VALUE);
      rig.client().apps().deployments().inNamespace("bench").resource(new DeploymentBuilder()
          .withNewMetadata().withName("web").withNamespace("bench").withLabels(labels).endMetadata()
          .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
          .withNewSpec().addNewContainer().withName("web").withImage("web").addNewPort().withContainerPort(8080).endPort()
          .endContainer().endSpec().endTemplate().endSpec().build()).create();
      rig.client().services().inNamespace("bench").resource(new ServiceBuilder()
          .withNewMetadata().withName("web").withNamespace("bench").withLabels(labels).endMetadata()
          .withNewSpec().withSelector(Map.of("app", "web")).addNewPort().withPort(servicePort).withTargetPort(new IntOrString(8080)).endPort()
          .endSpec().build()).create();
      rig.client().apps().deployments().inNamespace("bench").withName("web").waitUntilCondition(
          d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null && d.getStatus().getAvailableReplicas() == 1, 30, TimeUnit.SECONDS);
      String podName = rig.client().pods().inNamespace("bench").list().getItems().get(0).getMetadata().getName();
      rig.registerBackend("bench", podName, 8080, (InetSocketAddress) pod.getAddress());

      try (ForwardSession session = ForwardSession.open(
          new KubernetesClientBuilder().withConfig(rig.client().getConfiguration()).build(), "bench", "bench", List.of(), false, BuildLog.silent())) {
        long[] direct = measure("http://127.0.0.1:" + pod.getAddress().getPort() + "/", runs);
        long[] forwarded = measure("http://127.0.0.1:" + servicePort + "/", runs);
        report("direct", direct);
        report("forward", forwarded);
        System.out.printf(Locale.ROOT, "forward/direct p50 ratio: %.1f%n", (double) p(forwarded, 50) / p(direct, 50));
      }
    } finally {
      pod.stop(0);
    }
  }

  /** Each request on a new connection (a new HttpClient), as a test opening a connection would. */
  private static long[] measure(String url, int runs) throws Exception {
    long[] micros = new long[runs];
    for (int i = -20; i < runs; i++) { // 20 warm-up requests
      HttpClient client = HttpClient.newHttpClient();
      long start = System.nanoTime();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
      long took = (System.nanoTime() - start) / 1000;
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode());
      }
      if (i >= 0) {
        micros[i] = took;
      }
    }
    Arrays.sort(micros);
    return micros;
  }

  private static long p(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
  }

  private static void report(String name, long[] sorted) {
    System.out.printf(Locale.ROOT, "%-8s n=%d p50=%.2f ms p95=%.2f ms max=%.2f ms%n", name, sorted.length,
        p(sorted, 50) / 1000.0, p(sorted, 95) / 1000.0, sorted[sorted.length - 1] / 1000.0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
