package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.process.ProcessRunner;
import dev.llmstack.render.KustomizeRenderer;
import dev.llmstack.render.ManifestParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The scheduler's arithmetic for a pod's requests, and a stack's total (the repository's own dev overlay). */
class PodRequestsTest {

  private static PodSpec spec(String yaml) {
    return Serialization.unmarshal(yaml, PodSpec.class);
  }

  private static PodRequests requests(String cpu, String memory) {
    return new PodRequests(new BigDecimal(cpu), new BigDecimal(memory));
  }

  @Test
  @DisplayName("a resource with only a limit requests the limit; one with neither requests nothing")
  void limitsOnly() {
    PodRequests pod = PodRequests.of(spec("""
        containers:
        - {name: a, resources: {limits: {cpu: 500m, memory: 1Gi}}}
        - {name: b}
        """));

    assertThat(pod).isEqualTo(requests("0.5", String.valueOf(1L << 30)));
  }

  @Test
  @DisplayName("init containers: the highest one against the app containers' sum, per resource")
  void initContainersCountByTheirMaximum() {
    PodRequests pod = PodRequests.of(spec("""
        initContainers:
        - {name: migrate, resources: {requests: {cpu: 500m, memory: 32Mi}}}
        - {name: wait, resources: {requests: {cpu: 10m, memory: 16Mi}}}
        containers:
        - {name: a, resources: {requests: {cpu: 100m, memory: 64Mi}}}
        - {name: b, resources: {requests: {cpu: 200m, memory: 64Mi}}}
        """));

    assertThat(pod.cpu()).isEqualByComparingTo("0.5");
    assertThat(pod.memory()).isEqualByComparingTo(String.valueOf(128L << 20));
  }

  @Test
  @DisplayName("a sidecar (restartPolicy Always) counts with the app containers and with every init container after it; overhead is added")
  void sidecarsAndOverhead() {
    PodRequests pod = PodRequests.of(spec("""
        initContainers:
        - {name: before, resources: {requests: {cpu: 600m, memory: 10Mi}}}
        - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 50Mi}}}
        - {name: after, resources: {requests: {cpu: 300m, memory: 10Mi}}}
        containers:
        - {name: app, resources: {requests: {cpu: 150m, memory: 100Mi}}}
        overhead: {cpu: 10m, memory: 1Mi}
        """));

    // cpu: max(600m before the sidecar, 300m + 100m after it, 150m + 100m running) + 10m
    assertThat(pod.cpu()).isEqualByComparingTo("0.61");
    // memory: max(10Mi, 60Mi, 150Mi) + 1Mi
    assertThat(pod.memory()).isEqualByComparingTo(String.valueOf(151L << 20));
  }

  @Test
  @DisplayName("limits: the same rule over the containers' limits; a resource without a limit counts at its request")
  void limits() {
    PodRequests pod = PodRequests.limitsOf(spec("""
        initContainers:
        - {name: init, resources: {limits: {cpu: "2", memory: 64Mi}}}
        containers:
        - {name: a, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 500m, memory: 1Gi}}}
        - {name: b, resources: {requests: {cpu: 250m, memory: 128Mi}}}
        """));

    assertThat(pod.cpu()).isEqualByComparingTo("2");
    assertThat(pod.memory()).isEqualByComparingTo(String.valueOf((1L << 30) + (128L << 20)));
  }

  @Test
  void describedAsTheReadmesWriteThem() {
    assertThat(requests("1.45", String.valueOf(3L << 30)).describe()).isEqualTo("1.45 CPUs and 3 GiB");
    assertThat(requests("1", String.valueOf(170L << 20)).describe()).isEqualTo("1 CPU and 170 MiB");
    assertThat(PodRequests.bytes(new BigDecimal(3_400_000_000L))).isEqualTo("3.17 GiB");
  }

  @Test
  @DisplayName("the sample stack's dev overlay, rendered by kubectl kustomize: 7 pods request 1.45 CPUs and 3 GiB, limits 3.5 and 6 GiB (sample-stack/README.md)")
  void theDevOverlay() {
    Path overlay = Path.of("..", "k8s", "overlays", "dev").toAbsolutePath().normalize();
    String yaml = new KustomizeRenderer("/usr/bin/kubectl", new ProcessRunner(Duration.ofMinutes(1))).render(overlay);
    List<HasMetadata> objects = ManifestParser.parse(yaml, overlay.toString());

    StackRequests stack = StackRequests.of(objects, 1);

    assertThat(stack.pods()).isEqualTo(7);
    assertThat(stack.total().describe()).isEqualTo("1.45 CPUs and 3 GiB");
    assertThat(stack.limits().describe()).isEqualTo("3.5 CPUs and 6 GiB");
    assertThat(stack.largestPod()).isNotNull();
  }

  @Test
  @DisplayName("pods at once: replicas, a Job's parallelism, a DaemonSet per node, a CronJob none")
  void podsAtOnce() {
    List<HasMetadata> objects = ManifestParser.parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: web, resources: {requests: {cpu: 100m, memory: 10Mi}}}]}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: agent, resources: {requests: {cpu: 50m, memory: 300Mi}}}]}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec: {restartPolicy: Never, containers: [{name: n, image: n, resources: {requests: {cpu: "4"}}}]}
        """, "test");

    StackRequests stack = StackRequests.of(objects, 2);

    assertThat(stack.pods()).isEqualTo(5);
    assertThat(stack.total().cpu()).isEqualByComparingTo("0.4");
    assertThat(stack.largestPod()).isEqualTo("DaemonSet agent");
  }
}
