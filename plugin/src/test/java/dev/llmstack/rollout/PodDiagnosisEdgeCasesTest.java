package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PodDiagnosisEdgeCasesTest {

  private static PodDiagnosis.Lookups events(Event... events) {
    return new PodDiagnosis.Lookups() {
      @Override
      public List<Event> eventsFor(Pod p) {
        return List.of(events);
      }

      @Override
      public String lastLogLines(Pod p, String c) {
        return "";
      }
    };
  }

  @Test
  @DisplayName("the newest event wins also when the scheduler wrote only eventTime (events.k8s.io)")
  void latestByEventTime() {
    // Given two FailedScheduling events that carry eventTime only
    Event older = new EventBuilder().withNewMetadata().withName("a").endMetadata().withReason("FailedScheduling")
        .withMessage("0/1 nodes are available: 1 Insufficient cpu.").withEventTime(new MicroTime("2025-01-01T10:00:00.000000Z")).build();
    Event newer = new EventBuilder().withNewMetadata().withName("b").endMetadata().withReason("FailedScheduling")
        .withMessage("0/1 nodes are available: 1 Insufficient memory.").withEventTime(new MicroTime("2025-01-01T10:05:00.000000Z")).build();
    Pod pod = new PodBuilder().withNewMetadata().withName("litellm-abc").endMetadata()
        .withNewStatus().addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("cond").endCondition().endStatus().build();

    // When the workload is diagnosed
    WorkloadState state = PodDiagnosis.refine(new DeploymentBuilder().withNewMetadata().withName("litellm").endMetadata().build(),
        WorkloadState.waiting("x"), List.of(pod), events(older, newer), false);

    // Then the newer message is reported
    assertThat(state.detail()).endsWith("Insufficient memory.");
  }

  @Test
  @DisplayName("a native sidecar (init container with restartPolicy Always) is not a pending init container")
  void sidecar() {
    Pod pod = new PodBuilder().withNewMetadata().withName("litellm-abc").endMetadata()
        .withNewSpec()
        .addNewInitContainer().withName("log-shipper").withImage("fluent-bit").withRestartPolicy("Always").endInitContainer()
        .addNewContainer().withName("litellm").withImage("litellm").endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("False").endCondition()
        .withInitContainerStatuses(new ContainerStatusBuilder().withName("log-shipper").withStarted(true).withReady(true)
            .withNewState().withNewRunning().withStartedAt("2025-01-01T10:00:00Z").endRunning().endState().build())
        .withContainerStatuses(new ContainerStatusBuilder().withName("litellm").withStarted(true).withReady(false)
            .withNewState().withNewRunning().withStartedAt("2025-01-01T10:00:01Z").endRunning().endState().build())
        .endStatus().build();
    Event probe = new EventBuilder().withNewMetadata().withName("e").endMetadata().withReason("Unhealthy")
        .withMessage("Readiness probe failed: HTTP probe failed with statuscode: 503").withLastTimestamp("2025-01-01T10:01:00Z").build();

    WorkloadState state = PodDiagnosis.refine(new DeploymentBuilder().withNewMetadata().withName("litellm").endMetadata().build(),
        WorkloadState.waiting("0 of 1 updated replicas available"), List.of(pod), events(probe), true);

    assertThat(state.detail()).isEqualTo("readiness probe failing: Readiness probe failed: HTTP probe failed with statuscode: 503");
  }
}
