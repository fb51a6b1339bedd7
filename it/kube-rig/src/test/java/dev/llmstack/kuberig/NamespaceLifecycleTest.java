package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.Workloads.deployment;
import static dev.llmstack.kuberig.Workloads.statefulSet;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated API server and namespace controller: namespace deletion")
class NamespaceLifecycleTest extends SimulatedClusterTest {

  private static void awaitGone(String namespace) throws InterruptedException {
    Eventually.until("namespace " + namespace + " gone", () -> client.namespaces().withName(namespace).get(),
        Objects::isNull);
  }

  private static void createNamespace(String name) {
    client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  @Test
  @DisplayName("Given a namespace with workloads, claims and config, when it is deleted, then it is Terminating, refuses new content with 403, is emptied (claims too) and disappears")
  void deletionCascades() throws Exception {
    // Given
    createNamespace("doomed");
    // its pod's grace period keeps the namespace Terminating for 3 s at least: time to look at it
    apply(deployment("doomed", "web", 1, template("web", "w:1",
        Map.of(KubeletSimulator.TERMINATING_SECONDS_ANNOTATION, "3"))));
    apply(statefulSet("doomed", "db", 1, template("db", "d:1", Map.of())).edit().editSpec()
        .addToVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
            .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
            .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build())
        .endSpec().build());
    client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("foreign").withNamespace("doomed")
        .addToLabels("owner", "someone-else").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("doomed")
        .endMetadata().build()).create();
    client.pods().inNamespace("doomed").informOnCondition(l -> l.size() == 2
        && l.stream().allMatch(KubeletSimulator::isReady)).get(30, TimeUnit.SECONDS);
    final List<String> events = new ArrayList<>();
    final Watch watch = client.namespaces().withName("doomed").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Namespace ns) {
        synchronized (events) {
          events.add(action + " " + ns.getStatus().getPhase() + " "
              + (ns.getSpec() == null ? List.of() : ns.getSpec().getFinalizers()));
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
    try {
      // When
      final HttpResponse<String> answer = Http.send("DELETE", rig.url() + "/api/v1/namespaces/doomed", null, null);
      // Then: 200 with the Namespace marked
      assertThat(answer.statusCode()).isEqualTo(200);
      final JsonNode marked = Serialization.jsonMapper().readTree(answer.body());
      assertThat(marked.path("metadata").hasNonNull("deletionTimestamp")).isTrue();
      assertThat(marked.path("status").path("phase").asText()).isEqualTo("Terminating");
      assertThat(marked.path("spec").path("finalizers").toString()).isEqualTo("[\"kubernetes\"]");
      // Then: while Terminating, creates are refused as NamespaceLifecycle refuses them
      final HttpResponse<String> refused = Http.send("POST", rig.url() + "/api/v1/namespaces/doomed/configmaps",
          "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"late\"}}");
      assertThat(refused.statusCode()).isEqualTo(403);
      final JsonNode status = Serialization.jsonMapper().readTree(refused.body());
      assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
      assertThat(status.path("message").asText()).isEqualTo("configmaps \"late\" is forbidden: unable to create new"
          + " content in namespace doomed because it is being terminated");
      assertThat(status.path("details").path("causes").get(0).path("reason").asText())
          .isEqualTo("NamespaceTerminating");
      final HttpResponse<String> refusedApply = Http.send("PATCH",
          rig.url() + "/apis/apps/v1/namespaces/doomed/deployments/late?fieldManager=t", "application/apply-patch+yaml",
          Serialization.asJson(deployment("doomed", "late", 1, template("late", "l:1", Map.of()))));
      assertThat(refusedApply.statusCode()).isEqualTo(403);
      assertThat(refusedApply.body()).contains("deployments.apps \\\"late\\\" is forbidden");
      // Then: emptied, PVCs included, and gone
      awaitGone("doomed");
      assertThat(client.pods().inNamespace("doomed").list().getItems()).isEmpty();
      assertThat(client.apps().deployments().inNamespace("doomed").list().getItems()).isEmpty();
      assertThat(client.apps().statefulSets().inNamespace("doomed").list().getItems()).isEmpty();
      assertThat(client.apps().replicaSets().inNamespace("doomed").list().getItems()).isEmpty();
      assertThat(client.persistentVolumeClaims().inNamespace("doomed").list().getItems()).isEmpty();
      assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
      assertThat(client.v1().events().inNamespace("doomed").list().getItems()).isEmpty();
    } finally {
      watch.close();
    }
    synchronized (events) {
      assertThat(events).containsSubsequence("MODIFIED Terminating [kubernetes]", "MODIFIED Terminating []",
          "DELETED Terminating []");
    }
  }

  /**
   * Creates the namespace with a ready pod that lingers {@code seconds} once deleted, deletes the namespace and
   * returns the pod once the namespace controller has deleted it (null if it has gone already).
   */
  private static Pod deleteWithLingeringPod(String namespace, int seconds) {
    createNamespace(namespace);
    client.resource(Workloads.pod(namespace, "lingering", Map.of(KubeletSimulator.TERMINATING_SECONDS_ANNOTATION,
        String.valueOf(seconds)))).create();
    client.pods().inNamespace(namespace).withName("lingering").waitUntilCondition(KubeletSimulator::isReady, 30,
        TimeUnit.SECONDS);
    client.namespaces().withName(namespace).delete();
    return client.pods().inNamespace(namespace).withName("lingering")
        .waitUntilCondition(p -> p == null || p.getMetadata().getDeletionTimestamp() != null, 30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Given a pod with a grace period in a deleted namespace, then the namespace stays Terminating until the pod is gone")
  void waitsForPodsInTheirGracePeriod() throws Exception {
    // When
    final Pod marked = deleteWithLingeringPod("slow-ns", 2);
    // Then
    assertThat(marked).isNotNull();
    assertThat(client.namespaces().withName("slow-ns").get().getStatus().getPhase()).isEqualTo("Terminating");
    awaitGone("slow-ns");
    assertThat(client.pods().inNamespace("slow-ns").withName("lingering").get()).isNull();
  }

  @Test
  @DisplayName("Given a Terminating namespace, when it is applied again (a deploy right after an undeploy), then it stays Terminating, refuses new content and still goes")
  void applyWhileTerminating() throws Exception {
    // Given: a pod's grace period keeps the namespace Terminating for 3 s at least
    deleteWithLingeringPod("reapplied", 3);
    // When
    final Namespace applied = apply(new NamespaceBuilder().withNewMetadata().withName("reapplied")
        .addToLabels("team", "a").endMetadata().build());
    // Then: an update of it, not its end
    assertThat(applied.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(applied.getStatus().getPhase()).isEqualTo("Terminating");
    final Namespace stored = client.namespaces().withName("reapplied").get();
    assertThat(stored).isNotNull();
    assertThat(stored.getStatus().getPhase()).isEqualTo("Terminating");
    final HttpResponse<String> create = Http.send("POST", rig.url() + "/api/v1/namespaces/reapplied/configmaps",
        "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"late\"}}");
    assertThat(create.statusCode()).isEqualTo(403);
    awaitGone("reapplied");
    assertThat(client.pods().inNamespace("reapplied").list().getItems()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "kube-system", "kube-public"})
  @DisplayName("Given an immortal namespace, when it is deleted, then 403 this namespace may not be deleted")
  void immortal(String name) throws Exception {
    // When
    final HttpResponse<String> answer = Http.send("DELETE", rig.url() + "/api/v1/namespaces/" + name, null, null);
    // Then
    assertThat(answer.statusCode()).isEqualTo(403);
    final JsonNode status = Serialization.jsonMapper().readTree(answer.body());
    assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.path("message").asText())
        .isEqualTo("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
  }

  @Test
  @DisplayName("Given no such namespace, when it is deleted, then 404")
  void unknown() throws Exception {
    assertThat(Http.send("DELETE", rig.url() + "/api/v1/namespaces/never-was", null, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("Given a namespace being deleted, when it is deleted again, then 200 with it as it is")
  void deleteTwice() throws Exception {
    createNamespace("twice");
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("twice").endMetadata()
        .build()).create();
    final HttpResponse<String> first = Http.send("DELETE", rig.url() + "/api/v1/namespaces/twice", null, null);
    final HttpResponse<String> second = Http.send("DELETE", rig.url() + "/api/v1/namespaces/twice", null, null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(Serialization.jsonMapper().readTree(second.body()).path("metadata").path("deletionTimestamp").asText())
        .isEqualTo(Serialization.jsonMapper().readTree(first.body()).path("metadata").path("deletionTimestamp")
            .asText());
    awaitGone("twice");
  }
}
