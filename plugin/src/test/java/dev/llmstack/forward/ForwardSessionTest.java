package dev.llmstack.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** forward against the simulated cluster (kube-rig): real port-forward bytes, simulated pods. */
class ForwardSessionTest {

  private static final String STACK = "fwd";
  private static KubeRig rig;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startRig() {
    rig = KubeRig.start();
  }

  @AfterAll
  static void stopRig() {
    rig.close();
  }

  private KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(rig.client().getConfiguration()).build();
  }

  /** A Deployment "web" (containerPort 8080 named http) and its Service on servicePort. */
  private static void deployWeb(String ns, int servicePort, IntOrString targetPort) {
    Map<String, String> labels = Map.of("app", "web", StackDecorator.STACK, STACK, StackDecorator.MANAGED_BY, StackDecorator.MANAGED_BY_VALUE);
    rig.client().apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName("dev-web").withNamespace(ns).withLabels(labels).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage("web:dev")
        .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    rig.client().services().inNamespace(ns).resource(new ServiceBuilder()
        .withNewMetadata().withName("dev-web").withNamespace(ns).withLabels(labels).endMetadata()
        .withNewSpec().withSelector(Map.of("app", "web"))
        .addNewPort().withName("http").withPort(servicePort).withTargetPort(targetPort).endPort().endSpec().build()).create();
    awaitReady(ns);
  }

  private static void awaitReady(String ns) {
    rig.client().apps().deployments().inNamespace(ns).withName("dev-web")
        .waitUntilCondition(d -> d != null && d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
            && d.getStatus().getAvailableReplicas() == 1 && (d.getStatus().getReplicas() == null || d.getStatus().getReplicas() == 1), 30, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  @DisplayName("forwards the service port to a ready pod, resolving a named targetPort on the pod")
  void namedTargetPort() throws Exception {
    // Given a stack with a web Service whose targetPort is the container port named "http"
    int port = freePort();
    deployWeb("fwd-named", port, new IntOrString("http"));

    // When forward runs
    try (ForwardSession session = ForwardSession.open(newClient(), "fwd-named", STACK, List.of(), false, BuildLog.silent())) {
      // Then the local port is the service port, the logical name is "web", and a request reaches the pod's 8080
      assertThat(session.endpoints()).singleElement().satisfies(e -> {
        assertThat(e.service()).isEqualTo("web");
        assertThat(e.localPort()).isEqualTo(port);
      });
      String body = get(port, "/hello");
      assertThat(body).contains("\"pod\":\"dev-web-").contains("\"port\":8080").contains("\"path\":\"/hello\"");
      assertThat(EndpointTable.properties(session.endpoints()))
          .containsEntry("llmstack.web.url", "http://127.0.0.1:" + port)
          .containsEntry("llmstack.web.port", Integer.toString(port))
          .containsEntry("llmstack.web.host", "127.0.0.1");
      assertThat(listening(port)).as("the forward's listener, as `ss -ltn` shows it").isTrue();
    }
    // And after close nothing listens on the port any more, as `ss -ltn` would show. Neither a re-bind nor a
    // connect can tell: once the listener is gone the kernel may hand the port to an outgoing connection as its
    // source port, and a loopback connect from the port to itself succeeds (TCP self-connect).
    assertThat(listening(port)).as("a listener on port " + port + " after close").isFalse();
  }

  @Test
  @DisplayName("a busy local port fails naming it; with anyPort a free port is taken instead")
  void busyPort() throws Exception {
    int port = freePort();
    deployWeb("fwd-busy", port, new IntOrString(8080));
    try (ServerSocket squatter = new ServerSocket(port)) {
      assertThatThrownBy(() -> ForwardSession.open(newClient(), "fwd-busy", STACK, List.of(), false, BuildLog.silent()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("Local port " + port + " (for web) is already in use")
          .hasMessageContaining("-Dllmstack.forward.anyPort=true");

      try (ForwardSession session = ForwardSession.open(newClient(), "fwd-busy", STACK, List.of(), true, BuildLog.silent())) {
        int local = session.endpoints().get(0).localPort();
        assertThat(local).isNotEqualTo(port);
        assertThat(get(local, "/any")).contains("\"port\":8080");
      }
    }
  }

  @Test
  @DisplayName("when the pod behind the service is replaced, the next connection goes to the new pod")
  void podReplaced() throws Exception {
    int port = freePort();
    deployWeb("fwd-replace", port, new IntOrString("http"));
    try (ForwardSession session = ForwardSession.open(newClient(), "fwd-replace", STACK, List.of(), false, BuildLog.silent())) {
      String first = get(port, "/one");
      Pod before = rig.client().pods().inNamespace("fwd-replace").list().getItems().get(0);
      assertThat(first).contains(before.getMetadata().getName());

      // When the pod is replaced (deleted; its controller makes a new one)
      rig.kubelet().replacePod("fwd-replace", before.getMetadata().getName());
      rig.client().pods().inNamespace("fwd-replace").withName(before.getMetadata().getName())
          .waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
      awaitReady("fwd-replace");

      // Then the next request is answered by the new pod, without restarting forward
      String second = get(port, "/two");
      assertThat(second).doesNotContain(before.getMetadata().getName()).contains("\"pod\":\"dev-web-");
    }
  }

  @Test
  @DisplayName("an unknown service name is an error listing the stack's services")
  void unknownService() throws Exception {
    deployWeb("fwd-unknown", freePort(), new IntOrString(8080));
    assertThatThrownBy(() -> ForwardSession.open(newClient(), "fwd-unknown", STACK, List.of("nope"), false, BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Service 'nope' is not part of stack 'fwd'")
        .hasMessageContaining("[web]");
  }

  /** Whether a socket listens on the port (Linux: /proc/net/tcp and tcp6, state 0A is LISTEN). */
  private static boolean listening(int port) throws IOException {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) { // after the header
          String[] f = line.trim().split("\\s+");
          if (f[1].endsWith(hexPort) && f[3].equals("0A")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
