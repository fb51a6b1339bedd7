package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated API server: server-side apply with per-field ownership (managedFields)")
class ManagedFieldsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CM = "/api/v1/namespaces/mf/configmaps/";
  private static KubeRig rig;

  @BeforeAll
  static void start() {
    rig = KubeRig.start();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  private static HttpResponse<String> apply(String path, String manager, boolean force, String json)
      throws Exception {
    return Http.send("PATCH", rig.url() + path + "?fieldManager=" + manager + (force ? "&force=true" : ""),
        "application/apply-patch+yaml", json);
  }

  private static HttpResponse<String> mergePatch(String path, String manager, String json) throws Exception {
    return Http.send("PATCH", rig.url() + path + "?fieldManager=" + manager, "application/merge-patch+json", json);
  }

  private static JsonNode get(String path) throws Exception {
    final HttpResponse<String> response = Http.send("GET", rig.url() + path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The fieldsV1 of the entry of that manager and operation (fails when there is none). */
  private static JsonNode fields(JsonNode object, String manager, String operation) {
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)) {
        return e.path("fieldsV1");
      }
    }
    throw new AssertionError("no " + operation + " entry of " + manager + " in " + object.path("metadata"));
  }

  private static boolean hasEntry(JsonNode object, String manager) {
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager)) {
        return true;
      }
    }
    return false;
  }

  private static String configMap(String name, String data) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{" + data
        + "}}";
  }

  @Test
  @DisplayName("Given a Deployment and a Service applied, then managedFields hold the applier's fields in FieldsV1: f:, k: by the real merge keys, v: for sets")
  void fieldsV1Format() throws Exception {
    // When
    final HttpResponse<String> deployment = apply("/apis/apps/v1/namespaces/mf/deployments/web", "llmstack", false,
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"},"
            + "\"finalizers\":[\"example.com/keep\"]},"
            + "\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
            + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"web:1\","
            + "\"args\":[\"--port\",\"8080\"],\"env\":[{\"name\":\"A\",\"value\":\"1\"}],"
            + "\"ports\":[{\"containerPort\":8080}]}],\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\"}]}}}}");
    final HttpResponse<String> service = apply("/api/v1/namespaces/mf/services/web", "llmstack", false,
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":"
            + "{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":8080,\"protocol\":\"TCP\"}]}}");
    // Then
    assertThat(deployment.statusCode()).isEqualTo(201);
    assertThat(service.statusCode()).isEqualTo(201);
    final JsonNode stored = get("/apis/apps/v1/namespaces/mf/deployments/web");
    final JsonNode entry = stored.path("metadata").path("managedFields").get(0);
    assertThat(stored.path("metadata").path("managedFields").size()).isOne();
    assertThat(entry.path("manager").asText()).isEqualTo("llmstack");
    assertThat(entry.path("operation").asText()).isEqualTo("Apply");
    assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(Instant.parse(entry.path("time").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(entry.path("fieldsV1")).isEqualTo(JSON.readTree("{\"f:metadata\":{\"f:finalizers\":{"
        + "\"v:\\\"example.com/keep\\\"\":{}},\"f:labels\":{\"f:app\":{}}},"
        + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
        + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"main\\\"}\":{\".\":{},\"f:args\":{},\"f:env\":{"
        + "\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},\"f:image\":{},\"f:name\":{},"
        + "\"f:ports\":{\"k:{\\\"containerPort\\\":8080,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},"
        + "\"f:containerPort\":{}}}}},\"f:tolerations\":{}}}}}"));
    assertThat(fields(get("/api/v1/namespaces/mf/services/web"), "llmstack", "Apply"))
        .isEqualTo(JSON.readTree("{\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{"
            + "\".\":{},\"f:port\":{},\"f:protocol\":{},\"f:targetPort\":{}}},\"f:selector\":{}}}"));
  }

  @Test
  @DisplayName("Given fields applied before and no longer applied, then they are removed unless another manager owns them; other managers' fields stay")
  void droppedFieldsAreRemovedUnlessOwnedElsewhere() throws Exception {
    // Given: llmstack applies a, b, c; kubectl-label adds a label; kubectl-edit sets c to the same value (shared)
    apply(CM + "prune", "llmstack", false, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
        + "\"prune\",\"labels\":{\"app\":\"x\"}},\"data\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");
    assertThat(mergePatch(CM + "prune", "kubectl-label", "{\"metadata\":{\"labels\":{\"team\":\"t\"}}}")
        .statusCode()).isEqualTo(200);
    assertThat(apply(CM + "prune", "kubectl-edit", false, configMap("prune", "\"c\":\"3\"")).statusCode())
        .isEqualTo(200);
    // When: llmstack applies a only, and no labels
    final HttpResponse<String> response = apply(CM + "prune", "llmstack", false, configMap("prune", "\"a\":\"1\""));
    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    final JsonNode stored = get(CM + "prune");
    assertThat(stored.path("data")).isEqualTo(JSON.readTree("{\"a\":\"1\",\"c\":\"3\"}"));
    assertThat(stored.path("metadata").path("labels")).isEqualTo(JSON.readTree("{\"team\":\"t\"}"));
    assertThat(fields(stored, "llmstack", "Apply")).isEqualTo(JSON.readTree("{\"f:data\":{\"f:a\":{}}}"));
    assertThat(fields(stored, "kubectl-label", "Update"))
        .isEqualTo(JSON.readTree("{\"f:metadata\":{\"f:labels\":{\"f:team\":{}}}}"));
    assertThat(fields(stored, "kubectl-edit", "Apply")).isEqualTo(JSON.readTree("{\"f:data\":{\"f:c\":{}}}"));
  }

  @Test
  @DisplayName("Given a field another manager set, when applied with another value, then 409 naming the manager and the field; with force the applier takes only that field")
  void conflicts() throws Exception {
    // Given: kubectl-client-side-apply set key and other by an update (as kubectl apply without --server-side does)
    assertThat(Http.send("POST", rig.url() + "/api/v1/namespaces/mf/configmaps?fieldManager=kubectl-client-side-apply",
        "application/json", configMap("owned", "\"key\":\"a\",\"other\":\"o\"")).statusCode()).isEqualTo(201);
    final String resourceVersion = get(CM + "owned").path("metadata").path("resourceVersion").asText();
    // When
    final HttpResponse<String> conflict = apply(CM + "owned", "llmstack", false,
        configMap("owned", "\"key\":\"b\",\"other\":\"o\""));
    // Then: a shared value is no conflict, a different one is
    assertThat(conflict.statusCode()).isEqualTo(409);
    final JsonNode status = JSON.readTree(conflict.body());
    assertThat(status.path("reason").asText()).isEqualTo("Conflict");
    assertThat(status.path("code").asInt()).isEqualTo(409);
    assertThat(status.path("message").asText()).isEqualTo(
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.key");
    assertThat(status.path("details").path("causes")).isEqualTo(JSON.readTree("[{\"reason\":\"FieldManagerConflict\","
        + "\"message\":\"conflict with \\\"kubectl-client-side-apply\\\" using v1\",\"field\":\".data.key\"}]"));
    assertThat(get(CM + "owned").path("metadata").path("resourceVersion").asText()).isEqualTo(resourceVersion);
    // When forced
    final HttpResponse<String> forced = apply(CM + "owned", "llmstack", true,
        configMap("owned", "\"key\":\"b\",\"other\":\"o\""));
    // Then
    assertThat(forced.statusCode()).isEqualTo(200);
    final JsonNode stored = get(CM + "owned");
    assertThat(stored.path("data")).isEqualTo(JSON.readTree("{\"key\":\"b\",\"other\":\"o\"}"));
    assertThat(fields(stored, "llmstack", "Apply"))
        .isEqualTo(JSON.readTree("{\"f:data\":{\"f:key\":{},\"f:other\":{}}}"));
    assertThat(fields(stored, "kubectl-client-side-apply", "Update"))
        .isEqualTo(JSON.readTree("{\"f:data\":{\".\":{},\"f:other\":{}}}"));
  }

  @Test
  @DisplayName("Given conflicts with two managers, then the message lists them per manager, one line per field, and one cause per field")
  void severalConflicts() throws Exception {
    apply(CM + "many", "first", false, configMap("many", "\"a\":\"1\",\"b\":\"1\""));
    apply(CM + "many", "second", false, configMap("many", "\"c\":\"1\""));
    final HttpResponse<String> conflict = apply(CM + "many", "llmstack", false,
        configMap("many", "\"a\":\"2\",\"b\":\"2\",\"c\":\"2\""));
    assertThat(conflict.statusCode()).isEqualTo(409);
    final JsonNode status = JSON.readTree(conflict.body());
    assertThat(status.path("message").asText()).isEqualTo("Apply failed with 3 conflicts: conflicts with \"first\":\n"
        + "- .data.a\n- .data.b\nconflicts with \"second\":\n- .data.c");
    assertThat(status.path("details").path("causes")).hasSize(3);
  }

  @Test
  @DisplayName("Given a Deployment applied and rolled out, then the simulated controllers' writes are kube-controller-manager's and the pod's status the kubelet's, as in a cluster")
  void controllersRecordTheirManagers() throws Exception {
    // When
    final KubernetesClient client = rig.client();
    client.resource(Workloads.deployment("mf-ctl", "web", 1, Workloads.template("web", "web:1", Map.of())))
        .fieldManager("llmstack").forceConflicts().serverSideApply();
    final Deployment rolled = client.apps().deployments().inNamespace("mf-ctl").withName("web")
        .waitUntilCondition(d -> d != null && DeploymentSimulationTest.rolledOut(d), 30, TimeUnit.SECONDS);
    final Pod pod = client.pods().inNamespace("mf-ctl").list().getItems().get(0);
    // Then
    assertThat(managers(rolled)).containsExactlyInAnyOrder("llmstack Apply", "kube-controller-manager Update",
        "kube-controller-manager Update status");
    assertThat(managers(pod)).containsExactlyInAnyOrder("kube-controller-manager Update", "kubelet Update status");
  }

  private static List<String> managers(HasMetadata o) {
    return o.getMetadata().getManagedFields().stream().map(m -> m.getManager() + " " + m.getOperation()
        + (m.getSubresource() == null || m.getSubresource().isEmpty() ? "" : " " + m.getSubresource())).toList();
  }

  @Test
  @DisplayName("Given updates, then each records the fieldManager parameter or the User-Agent's product, operation Update, owning what it set")
  void updatesRecordTheirManager() throws Exception {
    // Given: created by fabric8 (User-Agent fabric8-kubernetes-client/7.4.0)
    rig.client().configMaps().inNamespace("mf").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("updated").endMetadata().addToData("a", "1").build()).create();
    // When: a merge patch by kubectl (User-Agent only), a PUT with a fieldManager parameter
    final HttpResponse<String> patched = Http.send("PATCH", rig.url() + CM + "updated",
        "application/merge-patch+json", "{\"data\":{\"b\":\"2\"}}", "Bearer " + Authentication.TOKEN,
        "kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef");
    final JsonNode current = get(CM + "updated");
    ((com.fasterxml.jackson.databind.node.ObjectNode) current.path("data")).put("a", "changed");
    final HttpResponse<String> put = Http.send("PUT", rig.url() + CM + "updated?fieldManager=kubectl-edit",
        "application/json", current.toString());
    // Then
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(put.statusCode()).isEqualTo(200);
    final JsonNode stored = get(CM + "updated");
    assertThat(fields(stored, "kubectl", "Update")).isEqualTo(JSON.readTree("{\"f:data\":{\"f:b\":{}}}"));
    assertThat(fields(stored, "kubectl-edit", "Update")).isEqualTo(JSON.readTree("{\"f:data\":{\"f:a\":{}}}"));
    assertThat(fields(stored, "fabric8-kubernetes-client", "Update")).isEqualTo(JSON.readTree("{\"f:data\":{}}"));
    for (JsonNode e : stored.path("metadata").path("managedFields")) {
      assertThat(e.path("apiVersion").asText()).isEqualTo("v1");
      assertThat(e.has("subresource")).isFalse();
    }
  }

  @Test
  @DisplayName("Given an applied object, when the same is applied again a second later, then resourceVersion and managedFields (their time included) stay")
  void noOpKeepsTime() throws Exception {
    apply(CM + "same", "llmstack", false, configMap("same", "\"a\":\"1\""));
    final JsonNode first = get(CM + "same");
    Thread.sleep(1100); // managedFields' time has a resolution of one second: a rewrite would show now
    final HttpResponse<String> again = apply(CM + "same", "llmstack", false, configMap("same", "\"a\":\"1\""));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(get(CM + "same").path("metadata")).isEqualTo(first.path("metadata"));
  }

  @Test
  @DisplayName("Given containers and env applied, when one container is dropped, then only it goes; an env var another manager added stays")
  void associativeListsMergeByKey() throws Exception {
    final String path = "/apis/apps/v1/namespaces/mf/deployments/lists";
    apply(path, "llmstack", false, deployment("lists", "{\"name\":\"a\",\"image\":\"a:1\"},{\"name\":\"b\",\"image\":\"b:1\"}"));
    assertThat(Http.send("PATCH", rig.url() + path + "?fieldManager=kubectl-set", "application/json-patch+json",
        "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/env\",\"value\":[{\"name\":\"X\",\"value\":\"y\"}]}]")
        .statusCode()).isEqualTo(200);
    // When
    final HttpResponse<String> response = apply(path, "llmstack", false, deployment("lists",
        "{\"name\":\"a\",\"image\":\"a:2\"}"));
    // Then
    assertThat(response.statusCode()).isEqualTo(200);
    final JsonNode containers = get(path).path("spec").path("template").path("spec").path("containers");
    assertThat(containers).isEqualTo(JSON.readTree("[{\"name\":\"a\",\"image\":\"a:2\",\"env\":[{\"name\":\"X\","
        + "\"value\":\"y\"}]}]"));
    assertThat(fields(get(path), "kubectl-set", "Update")).isEqualTo(JSON.readTree("{\"f:spec\":{\"f:template\":{"
        + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"a\\\"}\":{\"f:env\":{\".\":{},"
        + "\"k:{\\\"name\\\":\\\"X\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}}}}}}}}"));
  }

  @Test
  @DisplayName("Given a Deployment, then an apply to the main resource owns no status; an apply to /status owns status only, with subresource status")
  void statusIsItsOwnSubresource() throws Exception {
    final String path = "/apis/apps/v1/namespaces/mf/deployments/st";
    final String withStatus = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"st\"},"
        + "\"status\":{\"replicas\":7}}";
    apply(path, "llmstack", false, deployment("st", "{\"name\":\"a\",\"image\":\"a:1\"}"));
    assertThat(apply(path + "/status", "status-writer", true, withStatus).statusCode()).isEqualTo(200);
    final JsonNode stored = get(path);
    assertThat(stored.path("status").path("replicas").asInt()).isEqualTo(7);
    assertThat(fields(stored, "llmstack", "Apply").has("f:status")).isFalse();
    for (JsonNode e : stored.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals("status-writer")) {
        assertThat(e.path("subresource").asText()).isEqualTo("status");
        assertThat(e.path("fieldsV1")).isEqualTo(JSON.readTree("{\"f:status\":{\"f:replicas\":{}}}"));
      }
    }
    assertThat(hasEntry(stored, "status-writer")).isTrue();
  }

  private static String deployment(String name, String containers) {
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":"
        + "{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[" + containers + "]}}}}";
  }
}
