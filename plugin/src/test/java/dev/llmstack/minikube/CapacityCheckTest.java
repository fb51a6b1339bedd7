package dev.llmstack.minikube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.process.ProcessRunner;
import dev.llmstack.rollout.PodRequests;
import dev.llmstack.rollout.StackRequests;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile's size (from the fake minikube CLI's profile list) against a stack's requests. */
class CapacityCheckTest {

  /** The sample stack's dev overlay (PodRequestsTest renders it): 7 pods requesting 1.45 CPUs and 3 GiB, limits 3.5 and 6 GiB. */
  private static final StackRequests DEV = new StackRequests(
      new PodRequests(new BigDecimal("1.45"), BigDecimal.valueOf(3L << 30)),
      new PodRequests(new BigDecimal("3.5"), BigDecimal.valueOf(6L << 30)), 7,
      new PodRequests(new BigDecimal("0.5"), BigDecimal.valueOf(1L << 30)), "Deployment dev-r2r");

  @TempDir Path dir;
  private FakeMinikube fake;

  @BeforeEach
  void install() throws IOException {
    fake = FakeMinikube.installIn(dir);
  }

  private MinikubeCli.Size sizeOf(String profile) {
    return new MinikubeCli(fake.executable(), profile, new ProcessRunner(Duration.ofSeconds(10))).size().orElseThrow();
  }

  @Test
  @DisplayName("minikube profile list -o json --light gives each profile's CPUs, memory (MB) and nodes")
  void sizeFromProfileList() throws IOException {
    assertThat(sizeOf("small")).isEqualTo(new MinikubeCli.Size(2, 2048, 1));
    assertThat(sizeOf("multinode")).isEqualTo(new MinikubeCli.Size(2, 4096, 2));
    assertThat(new MinikubeCli(fake.executable(), "nope", new ProcessRunner(Duration.ofSeconds(10))).size()).isEmpty();
    assertThat(fake.calls()).containsOnly("-p minikube profile list -o json --light").hasSize(3);
  }

  @Test
  @DisplayName("a profile smaller than requests + Kubernetes' own + the node's system gets the numbers and the exact minikube start")
  void tooSmall() {
    String warning = CapacityCheck.tooSmall("small", sizeOf("small"), DEV).orElseThrow();

    assertThat(warning)
        .startsWith("minikube profile 'small' (2 CPUs and 2 GiB) is too small for this overlay: its 7 pods request 1.45 CPUs and 3 GiB"
            + " (the largest, Deployment dev-r2r, 0.5 CPUs and 1 GiB), Kubernetes' own pods 0.75 CPUs and 170 MiB, and the"
            + " node's system needs about 1 GiB beside them: 2.2 CPUs and 4.17 GiB in all, so pods would stay Pending.")
        // sized for the pods at their limits: 3.5 + 0.75 CPUs, 6 GiB + 170 MiB + 1 GiB
        .endsWith("minikube delete -p small && minikube start -p small --cpus 5 --memory 8g");
  }

  @Test
  @DisplayName("room for the requests but not for the memory limits: a warning about OOM kills under load")
  void memoryLimitsBeyondTheProfile() {
    StackRequests greedy = new StackRequests(new PodRequests(BigDecimal.ONE, BigDecimal.valueOf(1L << 30)),
        new PodRequests(new BigDecimal("2"), BigDecimal.valueOf(8L << 30)), 2,
        new PodRequests(new BigDecimal("0.5"), BigDecimal.valueOf(512L << 20)), "Deployment app");

    assertThat(CapacityCheck.tooSmall("running", sizeOf("running"), greedy).orElseThrow())
        .startsWith("minikube profile 'running' (4 CPUs and 8 GiB) has room for what this overlay's pods request, but not for"
            + " the memory they may use (their limits: 8 GiB; with Kubernetes' own pods and the node's system 9.17 GiB):"
            + " under load, containers would be OOM-killed.")
        .endsWith("minikube delete -p running && minikube start -p running --cpus 4 --memory 10g");
  }

  @Test
  @DisplayName("the seed's size (4 CPUs, 8g) and two nodes of 2 CPUs and 4 GiB have room, at the requests and the memory limits")
  void bigEnough() {
    assertThat(CapacityCheck.tooSmall("running", sizeOf("running"), DEV)).isEmpty();
    assertThat(CapacityCheck.tooSmall("multinode", sizeOf("multinode"), DEV)).isEmpty();
  }

  @Test
  @DisplayName("a pod larger than one node is too big even when the nodes together have room")
  void largestPodOnOneNode() {
    StackRequests oneBigPod = new StackRequests(
        new PodRequests(new BigDecimal("3"), BigDecimal.valueOf(2L << 30)),
        new PodRequests(new BigDecimal("3"), BigDecimal.valueOf(2L << 30)), 1,
        new PodRequests(new BigDecimal("3"), BigDecimal.valueOf(2L << 30)), "StatefulSet db");

    assertThat(CapacityCheck.tooSmall("multinode", new MinikubeCli.Size(2, 4096, 2), oneBigPod))
        .hasValueSatisfying(w -> assertThat(w).endsWith("minikube start -p multinode --nodes 2 --cpus 3 --memory 4g"));
  }

  @Test
  @DisplayName("a new profile: whole CPUs (at least minikube's 2) and GiB")
  void startCommandForANewProfile() {
    StackRequests tiny = new StackRequests(new PodRequests(new BigDecimal("0.1"), BigDecimal.valueOf(64L << 20)),
        new PodRequests(new BigDecimal("0.1"), BigDecimal.valueOf(64L << 20)), 1,
        new PodRequests(new BigDecimal("0.1"), BigDecimal.valueOf(64L << 20)), "Deployment web");

    assertThat(CapacityCheck.startCommand("minikube", tiny, null)).isEqualTo("minikube start -p minikube --cpus 2 --memory 2g");
    assertThat(CapacityCheck.startCommand("minikube", DEV, null)).isEqualTo("minikube start -p minikube --cpus 5 --memory 8g");
  }
}
