package dev.llmstack.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.llmstack.error.StackFailureException;
import dev.llmstack.kuberig.KubeRig;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync and the after-sync command against real containers: pods of the kube rig backed by the test rig's dockerd
 * (busybox), with a ConfigMap volume mounted as the kubelet mounts it (always read-only).
 */
@DisplayName("PodSync into real containers (kube rig, docker-backed pods)")
class PodSyncTest {

  private static final String NS = "pod-sync";
  private static final String BASE = "127.0.0.1:5000/library/busybox:standin";
  private static final String IMAGE = "llmstack-test/pod-sync-" + UUID.randomUUID().toString().substring(0, 8) + ":v1";

  private static String host;
  private static boolean pulledBase;
  private static KubeRig rig;
  private static KubernetesClient client;
  private static Pod pod;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    host = System.getenv("RIG_DOCKER_HOST");
    if (host == null || host.isBlank()) {
      fail("RIG_DOCKER_HOST is not set: these tests run real containers on the test rig's dockerd;"
          + " start it with it/rig/rig.sh start and eval \"$(it/rig/rig.sh env)\"");
    }
    pulledBase = docker("image", "inspect", BASE).exit() != 0;
    if (pulledBase) {
      assertThat(docker("pull", BASE).exit()).as("pull " + BASE).isZero();
    }
    assertThat(docker("tag", BASE, IMAGE).exit()).isZero();
    rig = KubeRig.builder().dockerHost(host).start();
    client = rig.client();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(NS).endMetadata()
        .withData(Map.of("app.yaml", "port: 1\n")).build()).create();
    client.resource(deployment()).create();
    pod = client.pods().inNamespace(NS).withLabel("app", "sync").waitUntilCondition(p -> p != null
        && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close(); // its containers go first, then the image they ran
    }
    docker("rmi", IMAGE);
    if (pulledBase) {
      docker("rmi", BASE);
    }
  }

  @Test
  @DisplayName("the file lands and the after-sync command runs in the same container afterwards")
  void syncThenAfterSync() throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), "model_list: [v2]\n");
    PodSync sync = new PodSync(client, NS, Duration.ofSeconds(30));

    PodSync.Result result = sync.sync(Set.of(IMAGE), List.of(new ChangePlan.SyncedFile(config, "/app/config.yaml", "644", false)),
        List.of("sh", "-c", "cp /app/config.yaml /tmp/seen-by-hook"));

    assertThat(result).isEqualTo(new PodSync.Result(1, 1));
    assertThat(inContainer("cat /tmp/seen-by-hook")).isEqualTo("model_list: [v2]\n");
  }

  @Test
  @DisplayName("a target on a ConfigMap volume fails with the container's own words (Read-only file system) and says a volume is mounted there")
  void readOnlyVolume() throws Exception {
    Path file = Files.writeString(dir.resolve("app.yaml"), "port: 2\n");
    PodSync sync = new PodSync(client, NS, Duration.ofSeconds(30));

    assertThatThrownBy(() -> sync.sync(Set.of(IMAGE),
            List.of(new ChangePlan.SyncedFile(file, "/etc/settings/app.yaml", "644", false)), List.of("sh", "-c", "touch /tmp/never")))
        .isInstanceOf(StackFailureException.class)
        .hasMessageContaining("Could not sync files into pod " + pod.getMetadata().getName() + " (container app): exit code ")
        .hasMessageContaining("Read-only file system")
        .hasMessageContaining("A volume is mounted over /etc/settings/app.yaml")
        .hasMessageNotContaining("Sync needs sh");
    assertThat(inContainer("cat /etc/settings/app.yaml")).isEqualTo("port: 1\n");
    assertThat(inContainer("test -e /tmp/never && echo ran || echo not run")).isEqualTo("not run\n");
  }

  @Test
  @DisplayName("a failing after-sync command is reported with its exit code and stderr; the files did land")
  void afterSyncFails() throws Exception {
    Path file = Files.writeString(dir.resolve("other.txt"), "landed\n");
    PodSync sync = new PodSync(client, NS, Duration.ofSeconds(30));

    assertThatThrownBy(() -> sync.sync(Set.of(IMAGE), List.of(new ChangePlan.SyncedFile(file, "/app/other.txt", "644", false)),
            List.of("sh", "-c", "echo no such process >&2; exit 3")))
        .isInstanceOf(StackFailureException.class)
        .hasMessageContaining("but its <afterSync> command 'sh -c echo no such process >&2; exit 3' failed: exit code 3: no such process")
        .hasMessageContaining("kubectl exec -n " + NS + " " + pod.getMetadata().getName() + " -c app -- sh -c");
    assertThat(inContainer("cat /app/other.txt")).isEqualTo("landed\n");
  }

  @Test
  @DisplayName("an exec the API server refuses (here: a pod without containers) says it answered 400, not 'An error has occurred'")
  void execRefused() throws Exception {
    client.resource(new DeploymentBuilder()
        .withNewMetadata().withName("sim").withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "sim").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "sim").endMetadata()
        .withNewSpec().addNewContainer().withName("sim").withImage("sim:v1").endContainer().endSpec().endTemplate().endSpec()
        .build()).create();
    Pod simulated = client.pods().inNamespace(NS).withLabel("app", "sim").waitUntilCondition(p -> p != null
        && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()), 60, TimeUnit.SECONDS);
    Path file = Files.writeString(dir.resolve("sim.txt"), "x\n");

    assertThatThrownBy(() -> new PodSync(client, NS, Duration.ofSeconds(30))
            .sync(Set.of("sim:v1"), List.of(new ChangePlan.SyncedFile(file, "/app/sim.txt", "644", false)), List.of()))
        .isInstanceOf(StackFailureException.class)
        .hasMessageContaining("Could not run 'sh -c ")
        // the JDK client's WebSocket handshake keeps the answer's code, not its body
        .hasMessageContaining("in pod " + simulated.getMetadata().getName() + " (container sim): the API server answered 400.")
        .hasMessageContaining("kubectl describe pod -n " + NS + " " + simulated.getMetadata().getName());
  }

  private static Deployment deployment() {
    PodSpec spec = Serialization.unmarshal("""
        containers:
        - name: app
          image: %s
          command: [sleep, "3600"]
          volumeMounts:
          - {name: settings, mountPath: /etc/settings}
        volumes:
        - {name: settings, configMap: {name: settings}}
        """.formatted(IMAGE), PodSpec.class);
    return new DeploymentBuilder()
        .withNewMetadata().withName("sync").withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "sync").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "sync").addToAnnotations("rig.llmstack.dev/run", "docker")
        .endMetadata().withSpec(spec).endTemplate().endSpec()
        .build();
  }

  /** What a shell in the pod's container prints (read through the rig's exec, as kubectl exec would). */
  private static String inContainer(String script) throws Exception {
    try (var out = new java.io.ByteArrayOutputStream();
        var watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).inContainer("app")
            .writingOutput(out).exec("sh", "-c", script)) {
      assertThat(watch.exitCode().get(30, TimeUnit.SECONDS)).as(script).isZero();
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private record Result(int exit, String output) {}

  private static Result docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", host);
    pb.environment().remove("DOCKER_CONTEXT");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "docker " + String.join(" ", args) + " did not finish within 120 s");
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
