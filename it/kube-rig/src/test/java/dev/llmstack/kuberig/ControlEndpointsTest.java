package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.Workloads.deployment;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Simulated API server: /rig/ control endpoints and forbidden namespaces")
class ControlEndpointsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORBIDDEN_MESSAGE = "namespaces is forbidden: User \"llmstack\" cannot create resource"
      + " \"namespaces\" in API group \"\" at the cluster scope";
  private static KubeRig rig;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    rig = KubeRig.start();
    client = rig.client();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }


  @Test
  @DisplayName("POST /rig/cut-watches cuts the open watches and answers their number; GET is 405")
  void cutWatches() throws Exception {
    // Given: the kubelet simulator's informers
    OpenWatches.awaitOnlySimulator(rig);
    final int open = rig.openWatches();
    // When
    final HttpResponse<String> response = Http.send("POST", rig.url() + "/rig/cut-watches", null, null);
    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).path("cut").asInt()).isEqualTo(open);
    assertThat(Http.send("GET", rig.url() + "/rig/cut-watches", null, null).statusCode()).isEqualTo(405);
    // the informers reconnect
    OpenWatches.awaitSimulator(rig);
  }

  @Test
  @DisplayName("GET /rig/ready-at answers the kubelet's markedReadyAt as an ISO instant, 404 for a workload not marked ready")
  void readyAt() throws Exception {
    // Given
    client.resource(deployment("ctl", "ready", 1, template("ready", "llmstack/ready:dev", Map.of()))).create();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rig.kubelet().markedReadyAt("ctl", "ready").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    final Instant expected = rig.kubelet().markedReadyAt("ctl", "ready").orElseThrow();
    // When
    final HttpResponse<String> response = Http.send("GET",
        rig.url() + "/rig/ready-at?namespace=ctl&name=ready", null, null);
    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Instant.parse(JSON.readTree(response.body()).path("readyAt").asText())).isEqualTo(expected);
    final HttpResponse<String> none = Http.send("GET",
        rig.url() + "/rig/ready-at?namespace=ctl&name=nothing", null, null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(none.body()).path("kind").asText()).isEqualTo("Status");
    assertThat(Http.send("GET", rig.url() + "/rig/ready-at?namespace=ctl", null, null).statusCode())
        .isEqualTo(400);
  }

  @Test
  @DisplayName("POST /rig/replace-pod deletes the pod and its controller recreates it under a new name; 404 for an unknown pod")
  void replacePod() throws Exception {
    // Given
    client.resource(deployment("ctl", "web", 1, template("web", "llmstack/web:dev", Map.of()))).create();
    final String first = awaitSingleReadyPod("web", null);
    // When
    final HttpResponse<String> response = Http.send("POST",
        rig.url() + "/rig/replace-pod?namespace=ctl&name=" + first, null, null);
    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(client.pods().inNamespace("ctl").withName(first).get()).isNull();
    final String second = awaitSingleReadyPod("web", first);
    assertThat(second).isNotEqualTo(first).startsWith("web-");
    final HttpResponse<String> unknown = Http.send("POST",
        rig.url() + "/rig/replace-pod?namespace=ctl&name=" + first, null, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.send("POST", rig.url() + "/rig/nope", null, null).statusCode()).isEqualTo(404);
  }

  private static String awaitSingleReadyPod(String app, String other) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      final List<Pod> pods = client.pods().inNamespace("ctl").withLabel("app", app).list().getItems();
      if (pods.size() == 1 && !pods.get(0).getMetadata().getName().equals(other) && pods.get(0).getStatus() != null
          && pods.get(0).getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        return pods.get(0).getMetadata().getName();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no single ready pod of " + app);
  }

  private static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  @Test
  @DisplayName("Creating a namespace named forbidden-* (POST or server-side apply) answers 403 Forbidden worded as RBAC words it; others are created")
  void forbiddenNamespaces() throws Exception {
    // create
    final KubernetesClientException created = catchThrowableOfType(KubernetesClientException.class,
        () -> client.namespaces().resource(namespace("forbidden-prod")).create());
    assertThat(created.getCode()).isEqualTo(403);
    assertThat(created.getStatus().getReason()).isEqualTo("Forbidden");
    assertThat(created.getStatus().getMessage()).isEqualTo(FORBIDDEN_MESSAGE);
    // server-side apply
    final KubernetesClientException applied = catchThrowableOfType(KubernetesClientException.class,
        () -> client.resource(namespace("forbidden-x")).fieldManager("llmstack").forceConflicts().serverSideApply());
    assertThat(applied.getCode()).isEqualTo(403);
    assertThat(applied.getStatus().getMessage()).isEqualTo("namespaces \"forbidden-x\" is forbidden: User"
        + " \"llmstack\" cannot patch resource \"namespaces\" in API group \"\" in the namespace \"forbidden-x\"");
    // the raw answer
    final HttpResponse<String> raw = Http.send("POST", rig.url() + "/api/v1/namespaces", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"forbidden-raw\"}}");
    assertThat(raw.statusCode()).isEqualTo(403);
    final JsonNode status = JSON.readTree(raw.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.path("code").asInt()).isEqualTo(403);
    assertThat(status.path("details").path("kind").asText()).isEqualTo("namespaces");
    // nothing was stored; other names are allowed
    assertThat(client.namespaces().withName("forbidden-prod").get()).isNull();
    assertThat(client.namespaces().withName("forbidden-x").get()).isNull();
    client.namespaces().resource(namespace("allowed")).create();
    client.resource(namespace("not-forbidden-either")).fieldManager("llmstack").serverSideApply();
    assertThat(client.namespaces().withName("allowed").get()).isNotNull();
    assertThat(client.namespaces().withName("not-forbidden-either").get()).isNotNull();
  }
}
