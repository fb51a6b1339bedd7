package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.StackFailureException;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.RecordingLog;
import dev.llmstack.render.ManifestParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait's Unschedulable diagnosis against the kube rig: its kubelet's Node (4 CPUs, 8Gi) and a StatefulSet's pod
 * asking for more (a StatefulSet: this rig version keeps no ReplicaSets, which a Deployment's current pods are found by).
 */
class UnschedulableOnTheRigTest {

  private static KubeRig rig;

  @BeforeAll
  static void startRig() {
    rig = KubeRig.start();
  }

  @AfterAll
  static void stopRig() {
    rig.close();
  }

  @Test
  @Timeout(60)
  @DisplayName("an unschedulable pod fails the wait at once with the scheduler's event and the node's room against its requests")
  void unschedulable() {
    KubernetesClient client = rig.client();
    List<HasMetadata> objects = ManifestParser.parse("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: ollama, namespace: sched}
        spec:
          serviceName: ollama
          selector: {matchLabels: {app: ollama}}
          template:
            metadata:
              labels: {app: ollama}
              annotations: {rig.llmstack.dev/fail: Unschedulable}
            spec:
              containers:
              - {name: ollama, image: ollama:dev, resources: {requests: {cpu: 500m, memory: 12Gi}}}
        """, "test");
    objects.forEach(o -> client.resource(o).create());
    RecordingLog log = new RecordingLog();

    assertThatThrownBy(() -> new RolloutTracker(client, Duration.ofSeconds(30), log).await(RolloutTracker.waitedFor(objects, log)))
        .isInstanceOf(StackFailureException.class)
        .hasMessageContaining("StatefulSet ollama cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory."
            + " Pod ollama-0 requests 0.5 CPUs and 12 GiB; node minikube has 4 CPUs and 8 GiB allocatable, of which its ")
        .hasMessageContaining("minikube delete, then minikube start --cpus <n> --memory <m>; llmstack:check says how much");
  }
}
