package dev.llmstack.minikube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.BuildTarget;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.RecordingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * llmstack:check's steps against the fake minikube CLI, the kube rig (simulated API server) and the test rig's real
 * dockerd; the overlay is rendered by the real kubectl kustomize.
 */
@Timeout(60)
class PreflightTest {

  private static KubeRig rig;

  @TempDir Path dir;
  private FakeMinikube fake;
  private Path overlay;
  private final RecordingLog log = new RecordingLog();

  @BeforeAll
  static void startRig() {
    rig = KubeRig.start();
  }

  @AfterAll
  static void stopRig() {
    rig.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    fake = FakeMinikube.installIn(Files.createDirectories(dir.resolve("bin")));
    overlay = Files.createDirectories(dir.resolve("k8s/overlays/dev"));
    Files.writeString(overlay.resolve("kustomization.yaml"), "resources: [app.yaml]\n");
    // 2 CPUs and 3 GiB: with Kubernetes' own 0.75 and the node's 1 GiB, a cluster needs 2.75 CPUs and 4.17 GiB
    Files.writeString(overlay.resolve("app.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          replicas: 2
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}}
            spec:
              containers:
              - {name: app, image: app:dev, resources: {requests: {cpu: "1", memory: 1536Mi}}}
        """);
  }

  private final List<ClusterConnector.Connection> opened = new java.util.ArrayList<>();

  /** Runs the check as the hub does: the connection opened on demand, closed by its owner (here, after the test). */
  private void check(RecordingLog log, Preflight.Request request) {
    new Preflight(Map.of(), log).run(request, () -> {
      ClusterConnector.Connection c = ClusterConnector.connect(request.cluster(), log);
      opened.add(c);
      return c;
    }, threads);
  }

  private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

  @org.junit.jupiter.api.AfterEach
  void closeConnections() {
    threads.shutdownNow();
    opened.forEach(c -> c.client().close());
  }

  private Preflight.Request request(String profile, String minikube, boolean buildsImages, String dockerHost, Path kubeconfig) {
    DestinationResolver.Options images = new DestinationResolver.Options(BuildTarget.DOCKER, null, dir.resolve("images"),
        profile, minikube, dockerHost, null, null);
    ClusterConnector.Options cluster = new ClusterConnector.Options(kubeconfig, null, ClusterConnector.DEFAULT_ALLOWED_CONTEXTS, Map.of());
    return new Preflight.Request(images, buildsImages, cluster, overlay, "/usr/bin/kubectl");
  }

  private Path rigKubeconfig() {
    return rig.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @Test
  @DisplayName("a profile too small for the overlay: a warning with the numbers and the exact minikube delete && minikube start")
  void tooSmall() {
    check(log, request("small", fake.executable().toString(), false, null, rigKubeconfig()));

    assertThat(log.infos).anyMatch(l -> l.startsWith("Kube context minikube (" + rig.url()) && l.endsWith("answers."));
    assertThat(log.warnings).singleElement().asString()
        .startsWith("minikube profile 'small' (2 CPUs and 2 GiB) is too small for this overlay: its 2 pods request 2 CPUs and 3 GiB")
        .endsWith("minikube delete -p small && minikube start -p small --cpus 3 --memory 5g");
  }

  @Test
  @DisplayName("a profile with room: said so, no warning")
  void room() {
    check(log, request("running", fake.executable().toString(), false, null, rigKubeconfig()));

    assertThat(log.warnings).isEmpty();
    assertThat(log.infos).contains("minikube profile 'running' has room for the overlay: it needs 2.75 CPUs and 4.17 GiB"
        + " (its 2 pods' requests, Kubernetes' own, the node's system), and 4.17 GiB with the pods at their memory limits.");
  }

  @Test
  @DisplayName("a stopped profile: build's own error first, then how to start it")
  void stopped() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> check(log, request("stopped", fake.executable().toString(), true, null, rigKubeconfig())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("minikube profile 'stopped' is not running (Stopped).")
        .hasMessageEndingWith("minikube profile 'stopped' is not running (Stopped): minikube start -p stopped (room for this overlay).");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(10);
  }

  @Test
  @DisplayName("no minikube and no kubeconfig: deploy's own error, then install and start minikube with room for the overlay")
  void noMinikube() {
    Path missingCli = dir.resolve("nowhere/minikube");

    assertThatThrownBy(() -> check(log, request(null, missingCli.toString(), false, null, dir.resolve("no-kubeconfig"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("No kubeconfig at " + dir.resolve("no-kubeconfig") + ".")
        .hasMessageEndingWith("No minikube CLI at " + missingCli + ": install minikube (https://minikube.sigs.k8s.io/docs/start/),"
            + " then minikube start -p minikube --cpus 3 --memory 5g (room for this overlay).");
  }

  @Test
  @DisplayName("minikube runs but the cluster does not answer: the goals' own error, unchanged")
  void minikubeRunsClusterDoesNot() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("dead-kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: minikube, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: dev, user: {token: not-a-real-token}}]
        contexts: [{name: minikube, context: {cluster: minikube, user: dev}}]
        current-context: minikube
        """);

    assertThatThrownBy(() -> check(log, request("running", fake.executable().toString(), false, null, kubeconfig)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("The API server of context 'minikube' (http://127.0.0.1:1/) is not reachable")
        .hasMessageNotContaining("minikube start -p running");
  }

  @Test
  @DisplayName("images to a daemon: it must answer (the test rig's dockerd does; a dead socket fails as the build would)")
  void imageDaemon() {
    String host = System.getenv("RIG_DOCKER_HOST");
    assertThat(host).as("RIG_DOCKER_HOST (start the rig: it/rig/rig.sh start; eval \"$(it/rig/rig.sh env)\")").isNotBlank();
    Path missingCli = dir.resolve("nowhere/minikube");

    check(log, request(null, null, true, host, rigKubeconfig()));
    assertThat(log.infos).anyMatch(l -> l.startsWith("Images go to Docker daemon " + host) && l.endsWith(", which answers."));

    assertThatThrownBy(() -> check(log, 
            request(null, missingCli.toString(), true, "unix://" + dir.resolve("no.sock"), rigKubeconfig())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(dir.resolve("no.sock").toString())
        .hasMessageContaining("install minikube");
  }
}
