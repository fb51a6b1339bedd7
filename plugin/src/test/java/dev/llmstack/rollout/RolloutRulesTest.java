package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.rollout.WorkloadState.Kind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class RolloutRulesTest {

  // --- Deployment -------------------------------------------------------------------------------

  /** Deployment litellm in llm with 2 desired replicas, generation and status as given (null = absent). */
  public static Deployment deployment(Long generation, Long observed, Integer updated, Integer replicas, Integer available) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("litellm").withNamespace("llm").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withUpdatedReplicas(updated)
        .withReplicas(replicas)
        .withAvailableReplicas(available)
        .endStatus()
        .build();
  }

  public static Stream<Arguments> deployments() {
    return Stream.of(
        Arguments.of("generation 2 not yet observed (1)", deployment(2L, 1L, 2, 2, 2), Kind.WAITING, "not yet observed"),
        Arguments.of("no observedGeneration at all", deployment(1L, null, 2, 2, 2), Kind.WAITING, "not yet observed"),
        Arguments.of("1 of 2 updated", deployment(2L, 2L, 1, 2, 2), Kind.WAITING, "1 of 2 replicas updated"),
        Arguments.of("no updated replicas reported", deployment(2L, 2L, null, null, null), Kind.WAITING, "0 of 2 replicas updated"),
        Arguments.of("an old replica still terminating", deployment(2L, 2L, 2, 3, 2), Kind.WAITING, "1 old replicas pending termination"),
        Arguments.of("1 of 2 updated available", deployment(2L, 2L, 2, 2, 1), Kind.WAITING, "1 of 2 updated replicas available"),
        Arguments.of("all updated and available", deployment(2L, 2L, 2, 2, 2), Kind.READY, "ready"),
        Arguments.of("observed a later generation than metadata", deployment(2L, 3L, 2, 2, 2), Kind.READY, "ready"),
        Arguments.of("no generation in metadata but observed", deployment(null, 1L, 2, 2, 2), Kind.READY, "ready"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("deployments")
  @DisplayName("Deployment follows kubectl rollout status")
  void deploymentRules(String why, Deployment d, Kind kind, String detail) {
    // When the rules judge the Deployment
    WorkloadState state = RolloutRules.of(d);

    // Then it is in the expected state with the expected detail
    assertThat(state.kind()).as(why).isEqualTo(kind);
    assertThat(state.detail()).as(why).contains(detail);
  }

  @Test
  @DisplayName("Deployment without status is waiting for the controller")
  void deploymentNoStatus() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("litellm").withGeneration(1L).endMetadata().build();

    assertThat(RolloutRules.of(d)).isEqualTo(WorkloadState.waiting("rollout not yet observed by the controller"));
  }

  @Test
  @DisplayName("Deployment with replicas unset wants one replica")
  void deploymentDefaultReplicas() {
    Deployment d = deployment(1L, 1L, 1, 1, 1);
    d.getSpec().setReplicas(null);
    assertThat(RolloutRules.of(d).isReady()).isTrue();

    Deployment none = deployment(1L, 1L, 0, 0, 0);
    none.getSpec().setReplicas(null);
    assertThat(RolloutRules.of(none).detail()).isEqualTo("0 of 1 replicas updated");
  }

  @Test
  @DisplayName("Deployment scaled to zero is ready with no replicas")
  void deploymentZero() {
    Deployment d = deployment(1L, 1L, null, null, null);
    d.getSpec().setReplicas(0);

    assertThat(RolloutRules.of(d).isReady()).isTrue();
  }

  @Test
  @DisplayName("ProgressDeadlineExceeded is FAILED, naming the Deployment and how to look at it")
  void progressDeadlineExceeded() {
    // Given a Deployment whose Progressing condition says the deadline passed
    Deployment d = deployment(2L, 2L, 1, 2, 1);
    d.getStatus().setConditions(List.of(new DeploymentConditionBuilder()
        .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"litellm-7d9\" has timed out progressing.").build()));

    // When judged
    WorkloadState state = RolloutRules.of(d);

    // Then it failed, and says which Deployment and why
    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.isFailed()).isTrue();
    assertThat(state.detail())
        .contains("Deployment litellm")
        .contains("ProgressDeadlineExceeded")
        .contains("has timed out progressing");
    assertThat(state.fix()).contains("kubectl describe deployment -n llm litellm");
  }

  @Test
  @DisplayName("a Progressing condition with another reason is not a failure")
  void progressingFine() {
    Deployment d = deployment(2L, 2L, 1, 2, 1);
    d.getStatus().setConditions(List.of(new DeploymentConditionBuilder()
        .withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated").build()));

    assertThat(RolloutRules.of(d).kind()).isEqualTo(Kind.WAITING);
  }

  // --- StatefulSet ------------------------------------------------------------------------------

  public static StatefulSet statefulSet(Integer ready, String updateRevision, String currentRevision, String strategy) {
    return new StatefulSetBuilder()
        .withNewMetadata().withName("postgres").withNamespace("llm").withGeneration(3L).endMetadata()
        .withNewSpec().withReplicas(1).withNewUpdateStrategy().withType(strategy).endUpdateStrategy().endSpec()
        .withNewStatus()
        .withObservedGeneration(3L)
        .withReplicas(1)
        .withReadyReplicas(ready)
        .withUpdatedReplicas(0)
        .withUpdateRevision(updateRevision)
        .withCurrentRevision(currentRevision)
        .endStatus()
        .build();
  }

  public static Stream<Arguments> statefulSets() {
    return Stream.of(
        Arguments.of("0 of 1 ready", statefulSet(0, "pg-1", "pg-1", "RollingUpdate"), Kind.WAITING, "0 of 1 replicas ready"),
        Arguments.of("ready count missing", statefulSet(null, "pg-1", "pg-1", "RollingUpdate"), Kind.WAITING, "0 of 1 replicas ready"),
        Arguments.of("update revision differs", statefulSet(1, "pg-2", "pg-1", "RollingUpdate"), Kind.WAITING, "rolling update to revision pg-2"),
        Arguments.of("revisions differ but OnDelete", statefulSet(1, "pg-2", "pg-1", "OnDelete"), Kind.READY, "ready"),
        Arguments.of("no update revision reported", statefulSet(1, null, null, "RollingUpdate"), Kind.READY, "ready"),
        Arguments.of("all ready and current", statefulSet(1, "pg-2", "pg-2", "RollingUpdate"), Kind.READY, "ready"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("statefulSets")
  @DisplayName("StatefulSet needs every replica ready and the revisions equal")
  void statefulSetRules(String why, StatefulSet s, Kind kind, String detail) {
    WorkloadState state = RolloutRules.of(s);

    assertThat(state.kind()).as(why).isEqualTo(kind);
    assertThat(state.detail()).as(why).contains(detail);
  }

  @Test
  @DisplayName("StatefulSet not yet observed is waiting")
  void statefulSetNotObserved() {
    StatefulSet s = statefulSet(1, "pg-1", "pg-1", "RollingUpdate");
    s.getMetadata().setGeneration(4L);

    assertThat(RolloutRules.of(s).detail()).contains("not yet observed");
  }

  // --- DaemonSet --------------------------------------------------------------------------------

  public static DaemonSet daemonSet(long generation, long observed, int desired, int updated, int available) {
    return new DaemonSetBuilder()
        .withNewMetadata().withName("node-exporter").withGeneration(generation).endMetadata()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withDesiredNumberScheduled(desired)
        .withUpdatedNumberScheduled(updated)
        .withNumberAvailable(available)
        .endStatus()
        .build();
  }

  public static Stream<Arguments> daemonSets() {
    return Stream.of(
        Arguments.of("not observed", daemonSet(2, 1, 1, 1, 1), Kind.WAITING, "not yet observed"),
        Arguments.of("0 of 1 updated", daemonSet(1, 1, 1, 0, 1), Kind.WAITING, "0 of 1 pods updated"),
        Arguments.of("0 of 1 available", daemonSet(1, 1, 1, 1, 0), Kind.WAITING, "0 of 1 updated pods available"),
        Arguments.of("all updated and available", daemonSet(1, 1, 1, 1, 1), Kind.READY, "ready"),
        Arguments.of("nothing to schedule", daemonSet(1, 1, 0, 0, 0), Kind.READY, "ready"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("daemonSets")
  @DisplayName("DaemonSet needs every scheduled pod updated and available")
  void daemonSetRules(String why, DaemonSet d, Kind kind, String detail) {
    WorkloadState state = RolloutRules.of(d);

    assertThat(state.kind()).as(why).isEqualTo(kind);
    assertThat(state.detail()).as(why).contains(detail);
  }

  // --- Job --------------------------------------------------------------------------------------

  public static Job job(String type, String status, String reason, String message) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName("migrate").withNamespace("llm").endMetadata();
    if (type == null) {
      return b.withNewStatus().withActive(1).endStatus().build();
    }
    return b.withNewStatus()
        .withConditions(new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build())
        .endStatus()
        .build();
  }

  @Test
  @DisplayName("Job: Complete is ready, running is waiting, no status is waiting")
  void jobReadyOrWaiting() {
    assertThat(RolloutRules.of(job("Complete", "True", null, null)).isReady()).isTrue();
    assertThat(RolloutRules.of(job(null, null, null, null))).isEqualTo(WorkloadState.waiting("not complete yet"));
    assertThat(RolloutRules.of(new JobBuilder().withNewMetadata().withName("j").endMetadata().build()).kind())
        .isEqualTo(Kind.WAITING);
    assertThat(RolloutRules.of(job("Complete", "False", null, null)).kind()).isEqualTo(Kind.WAITING);
  }

  @Test
  @DisplayName("Job: Failed is FAILED with its name, reason and message, and the fix shows its logs")
  void jobFailed() {
    WorkloadState state = RolloutRules.of(job("Failed", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));

    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail())
        .contains("Job migrate failed")
        .contains("BackoffLimitExceeded")
        .contains("Job has reached the specified backoff limit");
    assertThat(state.fix()).contains("kubectl logs -n llm job/migrate");
  }

  // --- Pod and others ---------------------------------------------------------------------------

  public static Pod pod(String phase, String readyStatus) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("debug").endMetadata();
    var status = b.withNewStatus().withPhase(phase);
    if (readyStatus != null) {
      status.addNewCondition().withType("PodScheduled").withStatus("True").endCondition();
      status.addNewCondition().withType("Ready").withStatus(readyStatus).endCondition();
    }
    return status.endStatus().build();
  }

  @Test
  @DisplayName("Pod: Ready condition True is ready, False or missing is waiting, Succeeded is ready")
  void podRules() {
    assertThat(RolloutRules.of(pod("Running", "True")).isReady()).isTrue();
    assertThat(RolloutRules.of(pod("Running", "False"))).isEqualTo(WorkloadState.waiting("pod not ready"));
    assertThat(RolloutRules.of(pod("Pending", null)).kind()).isEqualTo(Kind.WAITING);
    assertThat(RolloutRules.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()).kind())
        .isEqualTo(Kind.WAITING);
    assertThat(RolloutRules.of(pod("Succeeded", null)).isReady()).isTrue();
  }

  @Test
  @DisplayName("isPodReady reads the Ready condition")
  void isPodReady() {
    assertThat(RolloutRules.isPodReady(pod("Running", "True"))).isTrue();
    assertThat(RolloutRules.isPodReady(pod("Running", "False"))).isFalse();
    assertThat(RolloutRules.isPodReady(pod("Pending", null))).isFalse();
    assertThat(RolloutRules.isPodReady(new Pod())).isFalse();
  }

  @Test
  @DisplayName("objects that do not roll out (ConfigMap) are ready at once")
  void nonWorkloads() {
    assertThat(RolloutRules.of(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build()))
        .isEqualTo(WorkloadState.ready());
  }

  @Nested
  @DisplayName("WorkloadState")
  class States {
    @Test
    @DisplayName("factories set kind, detail and fix")
    void factories() {
      assertThat(WorkloadState.ready()).isEqualTo(new WorkloadState(Kind.READY, "ready", null));
      assertThat(WorkloadState.waiting("x")).isEqualTo(new WorkloadState(Kind.WAITING, "x", null));
      assertThat(WorkloadState.failed("c", "f")).isEqualTo(new WorkloadState(Kind.FAILED, "c", "f"));
      assertThat(WorkloadState.waiting("x").isReady()).isFalse();
      assertThat(WorkloadState.waiting("x").isFailed()).isFalse();
    }
  }
}
