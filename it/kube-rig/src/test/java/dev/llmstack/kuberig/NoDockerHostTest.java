package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Docker-backed pods on a rig without a docker host")
class NoDockerHostTest {

  @Test
  @DisplayName("Given a rig without a docker host, when a pod annotated run: docker appears, then it stays Pending"
      + " with its container waiting (CreateContainerError) and a message that says why")
  void waitsWithAMessage() {
    try (KubeRig rig = KubeRig.start()) {
      assertThat(rig.dockerHost()).isEmpty();
      // When
      rig.client().resource(Workloads.pod("nd", "app", Map.of(DockerPods.RUN_ANNOTATION, "docker"))).create();
      // Then
      final Pod pod = rig.client().pods().inNamespace("nd").withName("app").waitUntilCondition(p -> p != null
          && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
          && !p.getStatus().getContainerStatuses().isEmpty(), 10, TimeUnit.SECONDS);
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(KubeletSimulator.isReady(pod)).isFalse();
      final ContainerStateWaiting waiting = pod.getStatus().getContainerStatuses().get(0).getState().getWaiting();
      assertThat(waiting.getReason()).isEqualTo("CreateContainerError");
      assertThat(waiting.getMessage()).contains("the kube rig has no docker host", "nd/app",
          "KubeRig.builder().dockerHost(..)", "--docker-host");
    }
  }
}
