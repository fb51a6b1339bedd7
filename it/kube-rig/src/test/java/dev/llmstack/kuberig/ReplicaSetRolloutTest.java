package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.DeploymentSimulationTest.rolledOut;
import static dev.llmstack.kuberig.Workloads.deployment;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated controllers: Deployments roll through ReplicaSets")
class ReplicaSetRolloutTest extends SimulatedClusterTest {

  private static final String FAIL = KubeletSimulator.FAIL_ANNOTATION;
  private static final String READY_AFTER = KubeletSimulator.READY_AFTER_ANNOTATION;
  private static final String REVISION = "deployment.kubernetes.io/revision";

  private static Deployment awaitRolledOut(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name)
        .waitUntilCondition(d -> d != null && rolledOut(d), 30, TimeUnit.SECONDS);
  }

  private static List<ReplicaSet> replicaSets(String ns) {
    return client.apps().replicaSets().inNamespace(ns).list().getItems();
  }

  private static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  private static String hash(Pod p) {
    return p.getMetadata().getLabels().get("pod-template-hash");
  }

  private static String waitingReason(Pod p) {
    return p.getStatus() == null || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty()
        || p.getStatus().getContainerStatuses().get(0).getState().getWaiting() == null ? null
        : p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason();
  }

  @Test
  @DisplayName("Given a Deployment, when it rolls out, then a ReplicaSet <deploy>-<hash> owns the pods, with the revision annotations, the hash in labels and selector, and its own status")
  void replicaSetBetweenDeploymentAndPods() throws Exception {
    // When
    apply(deployment("rs1", "web", 2, template("web", "web:1", Map.of())));
    final Deployment d = awaitRolledOut("rs1", "web");
    // Then
    assertThat(d.getMetadata().getAnnotations()).containsEntry(REVISION, "1");
    final ReplicaSet rs = client.apps().replicaSets().inNamespace("rs1").list().getItems().get(0);
    final String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertThat(replicaSets("rs1")).hasSize(1);
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getMetadata().getLabels()).isEqualTo(Map.of("app", "web", "pod-template-hash", hash));
    assertThat(rs.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "web", "pod-template-hash", hash));
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("pod-template-hash", hash);
    assertThat(rs.getMetadata().getAnnotations()).containsEntry(REVISION, "1")
        .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
        .containsEntry("deployment.kubernetes.io/max-replicas", "3"); // 2 + 25% of 2 rounded up
    assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind() + "/" + r.getName()).isEqualTo("Deployment/web");
      assertThat(r.getUid()).isEqualTo(d.getMetadata().getUid());
      assertThat(r.getController()).isTrue();
    });
    final ReplicaSet settled = client.apps().replicaSets().inNamespace("rs1").withName(rs.getMetadata().getName())
        .waitUntilCondition(x -> x.getStatus() != null && Integer.valueOf(2).equals(x.getStatus().getReadyReplicas()),
            30, TimeUnit.SECONDS);
    assertThat(settled.getStatus().getReplicas()).isEqualTo(2);
    assertThat(settled.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(settled.getStatus().getFullyLabeledReplicas()).isEqualTo(2);
    assertThat(settled.getStatus().getObservedGeneration()).isEqualTo(settled.getMetadata().getGeneration());
    assertThat(pods("rs1")).hasSize(2).allSatisfy(p -> {
      assertThat(p.getMetadata().getName()).matches("web-" + hash + "-[a-z0-9]{5}");
      assertThat(p.getMetadata().getLabels()).isEqualTo(Map.of("app", "web", "pod-template-hash", hash));
      assertThat(p.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(r -> assertThat(r.getUid()).isEqualTo(rs.getMetadata().getUid()));
    });
  }

  @Test
  @DisplayName("Given a crash-looping Deployment, when a fixed template is applied, then the new ReplicaSet's pod comes up while the crashing pod lingers, then the old ReplicaSet is scaled to 0 and stays")
  void fixAndRedeploy() throws Exception {
    // Given
    apply(deployment("fix", "app", 1, template("app", "app:1", Map.of(FAIL, "CrashLoopBackOff"))));
    client.pods().inNamespace("fix").informOnCondition(l -> l.size() == 1
        && "CrashLoopBackOff".equals(waitingReason(l.get(0)))).get(30, TimeUnit.SECONDS);
    final Pod crashing = pods("fix").get(0);
    // When
    apply(deployment("fix", "app", 1, template("app", "app:2", Map.of(READY_AFTER, "2"))));
    // Then: a pod of the new ReplicaSet exists next to the crashing one, which keeps crash-looping
    client.pods().inNamespace("fix").informOnCondition(l -> l.stream().anyMatch(p -> !hash(p).equals(hash(crashing))))
        .get(30, TimeUnit.SECONDS);
    final List<Pod> during = pods("fix");
    assertThat(during).hasSize(2);
    assertThat(during).filteredOn(p -> p.getMetadata().getName().equals(crashing.getMetadata().getName()))
        .singleElement().satisfies(p -> assertThat(waitingReason(p)).isEqualTo("CrashLoopBackOff"));
    final Deployment rolling = client.apps().deployments().inNamespace("fix").withName("app")
        .waitUntilCondition(d -> d.getStatus() != null && Long.valueOf(2).equals(d.getStatus().getObservedGeneration())
            && Integer.valueOf(2).equals(d.getStatus().getReplicas()), 30, TimeUnit.SECONDS);
    assertThat(rolling.getStatus().getUpdatedReplicas()).isEqualTo(1);
    assertThat(rolling.getMetadata().getAnnotations()).containsEntry(REVISION, "2");
    // Then: complete, the crashing pod gone, the old ReplicaSet at 0 and kept
    final Deployment done = awaitRolledOut("fix", "app");
    assertThat(done.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Progressing");
      assertThat(c.getReason()).isEqualTo("NewReplicaSetAvailable");
    });
    assertThat(pods("fix")).singleElement().satisfies(p -> {
      assertThat(hash(p)).isNotEqualTo(hash(crashing));
      assertThat(KubeletSimulator.isReady(p)).isTrue();
    });
    assertThat(replicaSets("fix")).hasSize(2)
        .anySatisfy(rs -> {
          assertThat(rs.getMetadata().getName()).isEqualTo("app-" + hash(crashing));
          assertThat(rs.getSpec().getReplicas()).isZero();
          assertThat(rs.getMetadata().getAnnotations()).containsEntry(REVISION, "1");
        })
        .anySatisfy(rs -> assertThat(rs.getMetadata().getAnnotations()).containsEntry(REVISION, "2"));
  }

  @Test
  @DisplayName("Given 4 replicas with the default 25%/25%, when the template changes, then at most 5 pods exist and at least 3 stay ready throughout")
  void rollingUpdateBounds() throws Exception {
    // Given
    apply(deployment("bounds", "api", 4, template("api", "api:1", Map.of())));
    awaitRolledOut("bounds", "api");
    final List<List<Pod>> seen;
    try (PodTimeline timeline = new PodTimeline(client, "bounds")) {
      timeline.awaitLive(client, "bounds");
      // When
      apply(deployment("bounds", "api", 4, template("api", "api:2", Map.of(READY_AFTER, "1"))));
      awaitRolledOut("bounds", "api");
      seen = timeline.statesFromSize(4);
    }
    // Then: maxSurge 1 (25% of 4 rounded up), maxUnavailable 1 (rounded down)
    assertThat(seen.stream().mapToInt(List::size).max()).hasValue(5);
    assertThat(seen.stream().mapToLong(l -> l.stream().filter(KubeletSimulator::isReady).count()).min())
        .hasValue(3);
    assertThat(pods("bounds")).hasSize(4).extracting(p -> p.getSpec().getContainers().get(0).getImage())
        .containsOnly("api:2");
  }

  @Test
  @DisplayName("Given revisions 1 and 2, when the first template comes back, then its ReplicaSet takes revision 3 (revision-history 1) and no third ReplicaSet is made")
  void rollbackTakesANewRevision() throws Exception {
    // Given
    apply(deployment("back", "ui", 1, template("ui", "ui:1", Map.of())));
    awaitRolledOut("back", "ui");
    apply(deployment("back", "ui", 1, template("ui", "ui:2", Map.of())));
    awaitRolledOut("back", "ui");
    // When
    apply(deployment("back", "ui", 1, template("ui", "ui:1", Map.of())));
    final Deployment d = awaitRolledOut("back", "ui");
    // Then
    assertThat(d.getMetadata().getAnnotations()).containsEntry(REVISION, "3");
    final Map<String, String> byImage = replicaSets("back").stream().collect(Collectors.toMap(
        rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
        rs -> rs.getMetadata().getAnnotations().get(REVISION)
            + "/" + rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision-history")));
    assertThat(byImage).isEqualTo(Map.of("ui:1", "3/1", "ui:2", "2/null"));
  }

  @Test
  @DisplayName("Given revisionHistoryLimit 1, when three templates roll out, then the oldest ReplicaSet is deleted and two stay")
  void historyLimit() throws Exception {
    for (String image : List.of("h:1", "h:2", "h:3")) {
      final Deployment d = deployment("hist", "h", 1, template("h", image, Map.of()));
      d.getSpec().setRevisionHistoryLimit(1);
      apply(d);
      awaitRolledOut("hist", "h");
    }
    Eventually.until("two ReplicaSets left", () -> replicaSets("hist"), l -> l.size() == 2);
    assertThat(replicaSets("hist")).extracting(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage()).containsExactlyInAnyOrder("h:2", "h:3");
  }

  @Test
  @DisplayName("Given the Recreate strategy, when the template changes, then no new pod exists before every old pod is gone")
  void recreate() throws Exception {
    // Given
    final Deployment first = deployment("recreate", "db", 2, template("db", "db:1", Map.of()));
    first.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
        .withType("Recreate").build());
    apply(first);
    awaitRolledOut("recreate", "db");
    final List<List<Pod>> seen;
    try (PodTimeline timeline = new PodTimeline(client, "recreate")) {
      timeline.awaitLive(client, "recreate");
      // When
      final Deployment second = deployment("recreate", "db", 2, template("db", "db:2", Map.of()));
      second.getSpec().setStrategy(first.getSpec().getStrategy());
      apply(second);
      awaitRolledOut("recreate", "db");
      seen = timeline.statesFromSize(2);
    }
    // Then: old and new pods never together; a moment with none
    final List<Set<String>> hashes = seen.stream()
        .map(l -> l.stream().map(ReplicaSetRolloutTest::hash).collect(Collectors.toSet())).toList();
    assertThat(hashes).isNotEmpty().allSatisfy(h -> assertThat(h).hasSizeLessThanOrEqualTo(1));
    assertThat(hashes).anySatisfy(h -> assertThat(h).isEmpty());
    assertThat(hashes.get(hashes.size() - 1)).doesNotContainAnyElementsOf(hashes.get(0));
  }

  @Test
  @DisplayName("Given a ReplicaSet applied directly (no owner), then it runs its pods and reports them")
  void bareReplicaSet() throws Exception {
    // When
    client.resource(new ReplicaSetBuilder().withNewMetadata().withName("solo").withNamespace("bare").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "solo").endSelector()
        .withTemplate(template("solo", "solo:1", Map.of())).endSpec().build()).create();
    // Then
    final ReplicaSet rs = client.apps().replicaSets().inNamespace("bare").withName("solo")
        .waitUntilCondition(x -> x.getStatus() != null && Integer.valueOf(2).equals(x.getStatus().getReadyReplicas()),
            30, TimeUnit.SECONDS);
    assertThat(rs.getStatus().getReplicas()).isEqualTo(2);
    assertThat(pods("bare")).hasSize(2).allSatisfy(p -> {
      assertThat(p.getMetadata().getName()).matches("solo-[a-z0-9]{5}");
      assertThat(p.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(r -> assertThat(r.getKind() + "/" + r.getName()).isEqualTo("ReplicaSet/solo"));
    });
    // When: scaled down
    client.apps().replicaSets().inNamespace("bare").withName("solo").scale(1);
    // Then
    Eventually.until("one pod of bare/solo", () -> pods("bare"), l -> l.size() == 1);
  }
}
