package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.DeploymentSimulationTest.rolledOut;
import static dev.llmstack.kuberig.Workloads.deployment;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated garbage collector and graceful pod termination")
class GarbageCollectionTest extends SimulatedClusterTest {

  private static ConfigMap configMap(String ns, String name, ConfigMap... owners) {
    final ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .endMetadata();
    for (ConfigMap owner : owners) {
      b.editMetadata().addToOwnerReferences(reference(owner)).endMetadata();
    }
    return client.resource(b.build()).create();
  }

  private static OwnerReference reference(ConfigMap owner) {
    return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
  }

  private static void awaitGone(String ns, String name) throws InterruptedException {
    Eventually.until(ns + "/" + name + " deleted", () -> client.configMaps().inNamespace(ns).withName(name).get(),
        Objects::isNull);
  }

  @Test
  @DisplayName("Given a chain of ConfigMaps owning each other, when the first is deleted, then the others follow, recursively")
  void cascadesThroughAnyKind() throws Exception {
    // Given
    final ConfigMap root = configMap("gc1", "root");
    final ConfigMap child = configMap("gc1", "child", root);
    configMap("gc1", "grandchild", child);
    configMap("gc1", "unrelated");
    // When
    client.configMaps().inNamespace("gc1").withName("root").delete();
    // Then
    awaitGone("gc1", "child");
    awaitGone("gc1", "grandchild");
    assertThat(client.configMaps().inNamespace("gc1").withName("unrelated").get()).isNotNull();
  }

  @Test
  @DisplayName("Given a dependent, when its owner is deleted with propagationPolicy Orphan, then it stays without the reference")
  void orphan() throws Exception {
    // Given
    final ConfigMap owner = configMap("gc2", "owner");
    final ConfigMap other = configMap("gc2", "other");
    configMap("gc2", "dependent", owner, other);
    // When
    client.configMaps().inNamespace("gc2").withName("owner").withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    // Then
    awaitGone("gc2", "owner");
    final ConfigMap dependent = client.configMaps().inNamespace("gc2").withName("dependent").get();
    assertThat(dependent).isNotNull();
    assertThat(dependent.getMetadata().getOwnerReferences()).extracting(OwnerReference::getName)
        .containsExactly("other");
  }

  @Test
  @DisplayName("Given a dependent of two owners, when one owner is deleted, then it stays; when the second is, it goes")
  void staysWhileAnOwnerIsLeft() throws Exception {
    // Given
    final ConfigMap a = configMap("gc3", "a");
    final ConfigMap b = configMap("gc3", "b");
    configMap("gc3", "shared", a, b);
    // When
    client.configMaps().inNamespace("gc3").withName("a").delete();
    awaitGone("gc3", "a");
    // a dependent of the deleted owner alone, as a witness that the collector has run since
    configMap("gc3", "witness", a);
    awaitGone("gc3", "witness");
    // Then
    assertThat(client.configMaps().inNamespace("gc3").withName("shared").get()).isNotNull();
    // When
    client.configMaps().inNamespace("gc3").withName("b").delete();
    // Then
    awaitGone("gc3", "shared");
  }

  @Test
  @DisplayName("Given a Deployment deleted with propagationPolicy Orphan, then its ReplicaSet and pods stay, no longer owned")
  void orphanedReplicaSetKeepsItsPods() {
    // Given
    apply(deployment("gc4", "keep", 1, template("keep", "k:1", Map.of())));
    client.apps().deployments().inNamespace("gc4").withName("keep").waitUntilCondition(DeploymentSimulationTest::rolledOut,
        30, TimeUnit.SECONDS);
    // When
    client.apps().deployments().inNamespace("gc4").withName("keep").withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    client.apps().deployments().inNamespace("gc4").withName("keep").waitUntilCondition(d -> d == null, 30,
        TimeUnit.SECONDS);
    // Then
    assertThat(client.apps().replicaSets().inNamespace("gc4").list().getItems()).singleElement()
        .satisfies(rs -> assertThat(rs.getMetadata().getOwnerReferences()).isEmpty());
    assertThat(client.pods().inNamespace("gc4").list().getItems()).hasSize(1);
  }

  @Test
  @DisplayName("Given a Deployment's pod annotated terminating-seconds: 2, when it is deleted, then it lingers with deletionTimestamp and its last status while a replacement starts, and goes after 2 s")
  void gracePeriod() throws Exception {
    // Given
    final Deployment d = deployment("grace", "slow", 1, template("slow", "s:1",
        Map.of(KubeletSimulator.TERMINATING_SECONDS_ANNOTATION, "2")));
    apply(d);
    client.apps().deployments().inNamespace("grace").withName("slow").waitUntilCondition(x -> rolledOut(x), 30,
        TimeUnit.SECONDS);
    final Pod pod = client.pods().inNamespace("grace").list().getItems().get(0);
    final String path = rig.url() + "/api/v1/namespaces/grace/pods/" + pod.getMetadata().getName();
    // When
    final Instant deleted = Instant.now();
    final HttpResponse<String> answer = Http.send("DELETE", path, null, null);
    // Then: 200 with the pod marked, still there with its status
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("\"deletionTimestamp\"").contains("\"deletionGracePeriodSeconds\":2");
    final Pod lingering = client.pods().inNamespace("grace").withName(pod.getMetadata().getName()).get();
    assertThat(lingering.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(Instant.parse(lingering.getMetadata().getDeletionTimestamp()))
        .isAfter(deleted.plusSeconds(1)).isBefore(deleted.plusSeconds(4));
    assertThat(lingering.getStatus().getPhase()).isEqualTo("Running");
    assertThat(KubeletSimulator.isReady(lingering)).isTrue();
    // Then: the ReplicaSet does not count it and starts a replacement at once
    client.pods().inNamespace("grace").informOnCondition(l -> l.size() == 2).get(30, TimeUnit.SECONDS);
    // Then: gone once the grace period is over
    Eventually.until("the pod removed", () -> client.pods().inNamespace("grace")
        .withName(pod.getMetadata().getName()).get(), Objects::isNull);
    assertThat(Instant.now()).isAfter(deleted.plusMillis(1900));
  }

  @Test
  @DisplayName("Given a pod in its grace period, when it is updated, then it keeps lingering with the change until deleted for good")
  void updateDuringGracePeriod() throws Exception {
    // Given
    client.resource(Workloads.pod("grace2", "p", Map.of(KubeletSimulator.TERMINATING_SECONDS_ANNOTATION, "30")))
        .create();
    client.pods().inNamespace("grace2").withName("p").delete();
    // When
    client.pods().inNamespace("grace2").withName("p")
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("seen", "yes").endMetadata().build());
    // Then
    final Pod lingering = client.pods().inNamespace("grace2").withName("p").get();
    assertThat(lingering).isNotNull();
    assertThat(lingering.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(lingering.getMetadata().getLabels()).containsEntry("seen", "yes");
    client.pods().inNamespace("grace2").withName("p").withGracePeriod(0).delete();
    assertThat(client.pods().inNamespace("grace2").withName("p").get()).isNull();
  }

  @Test
  @DisplayName("Given an owner held by a finalizer, when it is deleted and then its finalizer removed, then it goes and its dependents follow")
  void finalizerRemovalEndsDeletion() throws Exception {
    // Given
    final ConfigMap owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("held")
        .withNamespace("gc6").addToFinalizers("example.com/hold").endMetadata().build()).create();
    configMap("gc6", "dependent", owner);
    client.configMaps().inNamespace("gc6").withName("held").delete();
    assertThat(client.configMaps().inNamespace("gc6").withName("held").get().getMetadata().getDeletionTimestamp())
        .isNotNull();
    // When
    client.configMaps().inNamespace("gc6").withName("held")
        .edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers().endMetadata().build());
    // Then
    awaitGone("gc6", "held");
    awaitGone("gc6", "dependent");
  }

  @Test
  @DisplayName("Given a pod with a grace period, when deleted with gracePeriodSeconds 0, then it is gone at once")
  void forceDelete() {
    // Given
    client.resource(Workloads.pod("grace0", "p", Map.of(KubeletSimulator.TERMINATING_SECONDS_ANNOTATION, "30")))
        .create();
    // When
    client.pods().inNamespace("grace0").withName("p").withGracePeriod(0).delete();
    // Then
    assertThat(client.pods().inNamespace("grace0").withName("p").get()).isNull();
  }

  @Test
  @DisplayName("Given a collection delete by label, then each object goes as if deleted alone (dependents included)")
  void collectionDelete() throws Exception {
    // Given
    final ConfigMap owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("labelled")
        .withNamespace("gc5").addToLabels("sweep", "yes").endMetadata().build()).create();
    configMap("gc5", "its-dependent", owner);
    // When
    client.configMaps().inNamespace("gc5").withLabel("sweep", "yes").delete();
    // Then
    awaitGone("gc5", "labelled");
    awaitGone("gc5", "its-dependent");
    assertThat(client.configMaps().inNamespace("gc5").list().getItems()).isEmpty();
  }
}
