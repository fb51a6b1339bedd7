package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated API server: server-side apply and status protection")
class ServerSideApplyTest {

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

  private static ConfigMap configMap(String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ssa").addToLabels("app", "x")
        .endMetadata().addToData("key", value).build();
  }

  @Test
  @DisplayName("Given no object, when a YAML apply arrives, then it is created with 201 and readable")
  void applyCreates() throws Exception {
    // Given
    final String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: created\n  namespace: ssa\n"
        + "data:\n  key: one\n";
    // When
    final HttpResponse<String> response = Http.send("PATCH",
        rig.url() + "/api/v1/namespaces/ssa/configmaps/created?fieldManager=llmstack&force=true",
        "application/apply-patch+yaml", yaml);
    // Then
    assertThat(response.statusCode()).isEqualTo(201);
    final ConfigMap stored = client.configMaps().inNamespace("ssa").withName("created").get();
    assertThat(stored.getData()).containsEntry("key", "one");
    assertThat(stored.getMetadata().getUid()).isNotBlank();
    assertThat(stored.getMetadata().getManagedFields()).extracting(f -> f.getManager() + "/" + f.getOperation())
        .containsExactly("llmstack/Apply");
  }

  @Test
  @DisplayName("Given an applied object, when the same content is applied again, then resourceVersion and generation stay")
  void identicalApplyIsNoOp() {
    // Given
    final Deployment first = client.resource(deployment("noop", "nginx:1")).fieldManager("llmstack")
        .forceConflicts().serverSideApply();
    // When
    final Deployment second = client.resource(deployment("noop", "nginx:1")).fieldManager("llmstack")
        .forceConflicts().serverSideApply();
    // Then
    assertThat(second.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
    assertThat(second.getMetadata().getGeneration()).isEqualTo(first.getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  @DisplayName("Given an applied Deployment, when the spec changes, then generation bumps; a label change does not")
  void changedSpecBumpsGeneration() {
    // Given
    client.resource(deployment("gen", "nginx:1")).fieldManager("llmstack").forceConflicts().serverSideApply();
    // When
    final Deployment labelled = client.resource(new DeploymentBuilder(deployment("gen", "nginx:1")).editMetadata()
        .addToLabels("extra", "yes").endMetadata().build()).fieldManager("llmstack").forceConflicts().serverSideApply();
    final Deployment changed = client.resource(deployment("gen", "nginx:2")).fieldManager("llmstack")
        .forceConflicts().serverSideApply();
    // Then
    assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(labelled.getMetadata().getLabels()).containsEntry("extra", "yes");
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(changed.getMetadata().getLabels()).doesNotContainKey("extra");
    assertThat(changed.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:2");
  }

  @Test
  @DisplayName("Given an apply without fieldManager, then the server answers 400")
  void fieldManagerRequired() throws Exception {
    // When
    final HttpResponse<String> response = Http.send("PATCH",
        rig.url() + "/api/v1/namespaces/ssa/configmaps/nomanager", "application/apply-patch+yaml",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"nomanager\"}}");
    // Then
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("fieldManager");
    assertThat(client.configMaps().inNamespace("ssa").withName("nomanager").get()).isNull();
  }

  @Test
  @DisplayName("Given an object applied by another manager, when applied without force, then 409; with force, 200")
  void conflictWithoutForce() throws Exception {
    // Given
    client.resource(configMap("owned", "a")).fieldManager("someone-else").serverSideApply();
    final String url = rig.url() + "/api/v1/namespaces/ssa/configmaps/owned?fieldManager=llmstack";
    final String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"owned\"},"
        + "\"data\":{\"key\":\"b\"}}";
    // When
    final HttpResponse<String> withoutForce = Http.send("PATCH", url, "application/apply-patch+yaml", body);
    final HttpResponse<String> withForce = Http.send("PATCH", url + "&force=true", "application/apply-patch+yaml", body);
    // Then
    assertThat(withoutForce.statusCode()).isEqualTo(409);
    assertThat(withForce.statusCode()).isEqualTo(200);
    assertThat(client.configMaps().inNamespace("ssa").withName("owned").get().getData()).containsEntry("key", "b");
  }

  @Test
  @DisplayName("Given a Deployment with status, when applied, updated or created with a status, then the stored status stays")
  void statusIsProtected() {
    // Given
    client.resource(deployment("status", "nginx:1")).fieldManager("llmstack").forceConflicts().serverSideApply();
    rig.kubelet(); // the simulator writes the status (in steps, as the controller does); wait until it is final
    client.apps().deployments().inNamespace("ssa").withName("status")
        .waitUntilCondition(DeploymentSimulationTest::rolledOut, 10, java.util.concurrent.TimeUnit.SECONDS);
    final Deployment before = client.apps().deployments().inNamespace("ssa").withName("status").get();
    // When
    final Deployment applied = client.resource(new DeploymentBuilder(deployment("status", "nginx:1"))
        .withStatus(new DeploymentStatusBuilder().withReplicas(42).build()).build())
        .fieldManager("llmstack").forceConflicts().serverSideApply();
    final Deployment fetched = client.apps().deployments().inNamespace("ssa").withName("status").get();
    fetched.setStatus(null);
    final Deployment updated = client.resource(fetched).update();
    // Then
    assertThat(applied.getStatus()).isEqualTo(before.getStatus());
    assertThat(updated.getStatus()).isEqualTo(before.getStatus());
    assertThat(client.apps().deployments().inNamespace("ssa").withName("status").get().getStatus().getReplicas())
        .isNotEqualTo(42);
  }

  @Test
  @DisplayName("Given a ConfigMap, when a merge patch sets a key to null, then the key is removed (RFC 7386)")
  void mergePatchRemovesNull() {
    // Given
    client.resource(new ConfigMapBuilder(configMap("merge", "a")).addToData("other", "b").build()).create();
    // When
    client.configMaps().inNamespace("ssa").withName("merge")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"data\":{\"other\":null}}");
    // Then
    assertThat(client.configMaps().inNamespace("ssa").withName("merge").get().getData())
        .isEqualTo(Map.of("key", "a"));
  }

  static Deployment deployment(String name, String image) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ssa").endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }
}
