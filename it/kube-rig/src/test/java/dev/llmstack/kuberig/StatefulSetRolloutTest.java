package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.JobAndStatefulSetTest.stsReady;
import static dev.llmstack.kuberig.Workloads.statefulSet;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated controllers: StatefulSets by ControllerRevisions, OrderedReady and Parallel")
class StatefulSetRolloutTest extends SimulatedClusterTest {

  private static final String FAIL = KubeletSimulator.FAIL_ANNOTATION;
  private static final String REVISION_LABEL = "controller-revision-hash";

  private static StatefulSet awaitReady(String ns, String name) {
    return client.apps().statefulSets().inNamespace(ns).withName(name)
        .waitUntilCondition(s -> s != null && stsReady(s), 30, TimeUnit.SECONDS);
  }

  private static List<ControllerRevision> revisions(String ns) {
    return client.apps().controllerRevisions().inNamespace(ns).list().getItems();
  }

  private static Pod awaitCrashLooping(String ns, String pod) {
    return client.pods().inNamespace(ns).withName(pod).waitUntilCondition(p -> p != null && p.getStatus() != null
        && p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
        && "CrashLoopBackOff".equals(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()),
        30, TimeUnit.SECONDS);
  }

  /** The StatefulSet once the controller has acted on its current generation (and written its status). */
  private static StatefulSet awaitObserved(String ns, String name, long generation) {
    return client.apps().statefulSets().inNamespace(ns).withName(name).waitUntilCondition(s -> s.getStatus() != null
        && s.getStatus().getObservedGeneration() != null && s.getStatus().getObservedGeneration() >= generation,
        30, TimeUnit.SECONDS);
  }

  /**
   * Returns once the simulator has made a full pass that started after this call: a bare pod created now is Ready
   * only after such a pass (every controller acts in every pass).
   */
  private static void awaitAFullPass(String ns) {
    final String name = "canary-" + System.nanoTime();
    client.resource(Workloads.pod(ns, name, Map.of())).create();
    client.pods().inNamespace(ns).withName(name).waitUntilCondition(p -> p != null && KubeletSimulator.isReady(p),
        30, TimeUnit.SECONDS);
    client.pods().inNamespace(ns).withName(name).delete();
  }

  @Test
  @DisplayName("Given a StatefulSet with a claim template, then ControllerRevisions name its revisions, pods carry them, claims are labelled and outlive the StatefulSet")
  void revisionsAndClaims() throws Exception {
    // Given
    final StatefulSet sts = statefulSet("cr", "db", 2, template("db", "pg:1", Map.of()));
    sts.getSpec().setVolumeClaimTemplates(List.of(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("data").addToLabels("tier", "storage").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()));
    apply(sts);
    final StatefulSet first = awaitReady("cr", "db");
    // Then: one ControllerRevision, named by the status
    final String rev1 = first.getStatus().getUpdateRevision();
    assertThat(revisions("cr")).singleElement().satisfies(r -> {
      assertThat(r.getMetadata().getName()).isEqualTo(rev1).matches("db-[a-z0-9]{10}");
      assertThat(r.getRevision()).isEqualTo(1L);
      assertThat(r.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getKind() + "/" + o.getName()).isEqualTo("StatefulSet/db");
        assertThat(o.getController()).isTrue();
      });
      assertThat(r.getMetadata().getLabels()).containsEntry("controller.kubernetes.io/hash",
          rev1.substring("db-".length()));
    });
    assertThat(client.pods().inNamespace("cr").list().getItems()).hasSize(2).allSatisfy(p -> {
      assertThat(p.getMetadata().getLabels()).containsEntry(REVISION_LABEL, rev1)
          .containsEntry("statefulset.kubernetes.io/pod-name", p.getMetadata().getName());
    });
    assertThat(client.persistentVolumeClaims().inNamespace("cr").list().getItems()).hasSize(2).allSatisfy(c -> {
      assertThat(c.getMetadata().getName()).matches("data-db-[01]");
      assertThat(c.getMetadata().getLabels()).isEqualTo(Map.of("tier", "storage", "app", "db"));
      assertThat(c.getMetadata().getOwnerReferences()).isEmpty();
    });
    // When: a new template
    apply(statefulSet("cr", "db", 2, template("db", "pg:2", Map.of())).edit().editSpec()
        .withVolumeClaimTemplates(sts.getSpec().getVolumeClaimTemplates()).endSpec().build());
    final StatefulSet second = awaitReady("cr", "db");
    // Then: a second revision, current once every pod runs it
    final String rev2 = second.getStatus().getUpdateRevision();
    assertThat(rev2).isNotEqualTo(rev1);
    assertThat(second.getStatus().getCurrentRevision()).isEqualTo(rev2);
    assertThat(revisions("cr")).extracting(r -> r.getMetadata().getName() + "=" + r.getRevision())
        .containsExactlyInAnyOrder(rev1 + "=1", rev2 + "=2");
    assertThat(client.pods().inNamespace("cr").list().getItems())
        .extracting(p -> p.getMetadata().getLabels().get(REVISION_LABEL)).containsOnly(rev2);
    // When: the StatefulSet is deleted
    client.apps().statefulSets().inNamespace("cr").withName("db").delete();
    // Then: its pods and revisions go (garbage collector), the claims stay
    Eventually.until("the pods of cr/db deleted", () -> client.pods().inNamespace("cr").list().getItems(),
        List::isEmpty);
    Eventually.until("the revisions of cr/db deleted", () -> revisions("cr"), List::isEmpty);
    assertThat(client.persistentVolumeClaims().inNamespace("cr").list().getItems())
        .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("data-db-0", "data-db-1");
  }

  @Test
  @DisplayName("Given an OrderedReady StatefulSet whose pod crash-loops, when the template is fixed, then the rollout stays stuck until the broken pod is deleted; it then comes back at the update revision")
  void orderedReadyStaysStuckUntilTheBrokenPodIsDeleted() throws Exception {
    // Given
    apply(statefulSet("stuck", "q", 1, template("q", "q:1", Map.of(FAIL, "CrashLoopBackOff"))));
    final Pod broken = awaitCrashLooping("stuck", "q-0");
    final String rev1 = broken.getMetadata().getLabels().get(REVISION_LABEL);
    // When
    apply(statefulSet("stuck", "q", 1, template("q", "q:2", Map.of())));
    final StatefulSet observed = awaitObserved("stuck", "q", 2);
    awaitAFullPass("stuck");
    // Then: the controller has seen the new revision and left the broken pod alone
    assertThat(observed.getStatus().getUpdateRevision()).isNotEqualTo(rev1);
    assertThat(observed.getStatus().getCurrentRevision()).isEqualTo(rev1);
    assertThat(observed.getStatus().getUpdatedReplicas()).isNull();
    final Pod still = client.pods().inNamespace("stuck").withName("q-0").get();
    assertThat(still.getMetadata().getUid()).isEqualTo(broken.getMetadata().getUid());
    assertThat(still.getMetadata().getLabels()).containsEntry(REVISION_LABEL, rev1);
    // When: someone deletes the broken pod (the docs' forced rollback)
    client.pods().inNamespace("stuck").withName("q-0").delete();
    // Then
    final StatefulSet done = awaitReady("stuck", "q");
    assertThat(done.getStatus().getCurrentRevision()).isEqualTo(observed.getStatus().getUpdateRevision());
    final Pod replaced = client.pods().inNamespace("stuck").withName("q-0").get();
    assertThat(replaced.getMetadata().getUid()).isNotEqualTo(broken.getMetadata().getUid());
    assertThat(replaced.getSpec().getContainers().get(0).getImage()).isEqualTo("q:2");
  }

  @Test
  @DisplayName("Given a Parallel StatefulSet whose pod crash-loops, when the template is fixed, then the outdated pod is replaced without help")
  void parallelReplacesUnhealthyPods() {
    // Given
    final StatefulSet broken = statefulSet("par", "w", 1, template("w", "w:1", Map.of(FAIL, "CrashLoopBackOff")));
    broken.getSpec().setPodManagementPolicy("Parallel");
    apply(broken);
    final Pod crashing = awaitCrashLooping("par", "w-0");
    // When
    final StatefulSet fixed = statefulSet("par", "w", 1, template("w", "w:2", Map.of()));
    fixed.getSpec().setPodManagementPolicy("Parallel");
    apply(fixed);
    // Then
    final StatefulSet done = awaitReady("par", "w");
    final Pod replaced = client.pods().inNamespace("par").withName("w-0").get();
    assertThat(replaced.getMetadata().getUid()).isNotEqualTo(crashing.getMetadata().getUid());
    assertThat(replaced.getMetadata().getLabels()).containsEntry(REVISION_LABEL,
        done.getStatus().getUpdateRevision());
  }

  @Test
  @DisplayName("Given a Parallel StatefulSet of 3, then all pods are created at once, not one after the other")
  void parallelCreatesAtOnce() throws Exception {
    // Given
    final StatefulSet s = statefulSet("par3", "p", 3, template("p", "p:1",
        Map.of(KubeletSimulator.READY_AFTER_ANNOTATION, "30")));
    s.getSpec().setPodManagementPolicy("Parallel");
    // When
    apply(s);
    // Then: three pods while none is ready yet
    client.pods().inNamespace("par3").informOnCondition(l -> l.size() == 3).get(30, TimeUnit.SECONDS);
    assertThat(client.pods().inNamespace("par3").list().getItems()).noneMatch(KubeletSimulator::isReady);
  }
}
