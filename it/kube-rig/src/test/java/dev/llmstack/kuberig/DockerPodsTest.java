package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.llmstack.kuberig.Workloads.deployment;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Docker-backed pods (rig.llmstack.dev/run: docker): real containers, exec, port-forward, log, cleanup")
class DockerPodsTest {

  private static final String NS = "dock";
  private static final Map<String, String> DOCKER = Map.of(DockerPods.RUN_ANNOTATION, "docker");

  private static String host;
  private static String v1;
  private static String v2;
  private static boolean pulledBase;
  private static KubeRig rig;
  private static KubernetesClient client;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    host = Docker.host();
    final String repo = "kube-rig-test-" + UUID.randomUUID().toString().substring(0, 8) + "/web";
    v1 = repo + ":v1";
    v2 = repo + ":v2";
    pulledBase = Docker.buildWebImage(host, v1, "v1\n", dir.resolve("v1"));
    Docker.buildWebImage(host, v2, "v2\n", dir.resolve("v2"));
    rig = KubeRig.builder().dockerHost(host).start();
    client = rig.client();
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
    if (v1 != null) {
      Docker.removeImages(host, pulledBase, v1, v2);
    }
  }

  private static PodTemplateSpec web(String app, String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).addToAnnotations(DOCKER)
        .endMetadata().withNewSpec().addNewContainer().withName("web").withImage(image).addNewPort()
        .withContainerPort(8080).endPort().endContainer().endSpec().build();
  }

  private static Deployment awaitReady(String name) {
    return client.apps().deployments().inNamespace(NS).withName(name).waitUntilCondition(d -> d != null
        && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas())
        && Integer.valueOf(1).equals(d.getStatus().getUpdatedReplicas())
        && Integer.valueOf(1).equals(d.getStatus().getReplicas())
        && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration()), 30, TimeUnit.SECONDS);
  }

  /** Deploys {@code name} (one docker-backed replica) and waits for it to be ready; the pod. */
  private static Pod deployReady(String name, String image) {
    client.resource(deployment(NS, name, 1, web(name, image))).create();
    awaitReady(name);
    return readyPod(name);
  }

  private static Pod readyPod(String app) {
    return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
        .filter(KubeletSimulator::isReady).filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .findFirst().orElseThrow();
  }

  private static String container(Pod pod) {
    return "llmstack-rig-" + NS + "-" + pod.getMetadata().getName() + "-web";
  }

  private static Pod awaitPod(String app, java.util.function.Predicate<Pod> condition) {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      final List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
      for (Pod p : pods) {
        if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null
            && !p.getStatus().getContainerStatuses().isEmpty() && condition.test(p)) {
          return p;
        }
      }
      assertThat(System.nanoTime()).as("a pod of %s as expected, have %s", app, pods).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static void awaitText(Supplier<String> text, String expected) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!text.get().contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(text.get()).contains(expected);
  }

  @Test
  @DisplayName("Given an annotated Deployment, then it becomes ready with a real container running its image, command"
      + " and env, labelled with its pod, and the pod's log is the container's")
  void deploymentRunsARealContainer() throws Exception {
    // When
    final PodTemplateSpec template = web("real", v1);
    template.getSpec().getContainers().get(0).setCommand(List.of("sh", "-c"));
    template.getSpec().getContainers().get(0).setArgs(
        List.of("echo hello from $GREETING; exec httpd -f -p 8080 -h /www"));
    template.getSpec().getContainers().get(0).setEnv(List.of(
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("GREETING").withValue("the rig").build()));
    client.resource(deployment(NS, "real", 1, template)).create();
    awaitReady("real");
    // Then
    final Pod pod = readyPod("real");
    final ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(status.getReady()).isTrue();
    final String name = container(pod);
    final String inspect = Docker.ok(host, "inspect", "--format",
        "{{.Id}} {{.State.Running}} {{index .Config.Labels \"dev.llmstack.rig.pod\"}} {{.HostConfig.NetworkMode}}",
        name).trim();
    assertThat(status.getContainerID()).isEqualTo("docker://" + inspect.split(" ")[0]);
    assertThat(inspect).endsWith(" true " + NS + "/" + pod.getMetadata().getName() + " none");
    assertThat(Docker.ok(host, "exec", name, "cat", "/www/index.html")).isEqualTo("v1\n");
    awaitText(() -> client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).getLog(),
        "hello from the rig\n");
  }

  @Test
  @DisplayName("Given a ready docker-backed pod, when a tar of N bytes goes to 'head -c N | tar -x' over exec stdin,"
      + " then the file is in the container, cat reads it back, rm removes it, all with exit code 0")
  void execUploadsReadsAndRemoves() throws Exception {
    final Pod pod = deployReady("sync", v1);
    final String name = container(pod);
    final byte[] content = "synced by exec\n".getBytes(StandardCharsets.UTF_8);
    final byte[] tar = Tar.of("www/synced.txt", content);

    // When: upload
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).redirectingInput()
        .writingOutput(out).writingError(err).exec("sh", "-c", "head -c " + tar.length + " | tar -xmf - -C /")) {
      final OutputStream stdin = watch.getInput();
      stdin.write(tar);
      stdin.flush();
      // Then
      assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).as("stderr: %s", err).isZero();
    }
    assertThat(Docker.ok(host, "exec", name, "cat", "/www/synced.txt")).isEqualTo("synced by exec\n");

    // When: read back through exec
    final ByteArrayOutputStream cat = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).writingOutput(cat)
        .exec("cat", "/www/synced.txt")) {
      assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).isZero();
    }
    awaitText(() -> cat.toString(StandardCharsets.UTF_8), "synced by exec\n");

    // When: remove
    try (ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName())
        .writingOutput(new ByteArrayOutputStream()).exec("rm", "-f", "/www/synced.txt")) {
      assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).isZero();
    }
    assertThat(Docker.ok(host, "exec", name, "sh", "-c", "[ -e /www/synced.txt ] && echo present || echo gone"))
        .isEqualTo("gone\n");
  }

  @Test
  @DisplayName("Given a ready docker-backed pod, when exec runs 'cat /no/such', then the exit code is 1 and stderr"
      + " has cat's complaint")
  void execNonZeroExit() throws Exception {
    final Pod pod = deployReady("fails", v1);
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName())
        .writingOutput(new ByteArrayOutputStream()).writingError(err).exec("cat", "/no/such")) {
      assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(1);
    }
    awaitText(() -> err.toString(StandardCharsets.UTF_8), "/no/such");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("No such file or directory");
  }

  @Test
  @DisplayName("Given exec with stdin from fabric8, then closing getInput() only flushes; ExecWatch.close() gives the"
      + " process EOF (and the exit code is lost: the client closed first)")
  void execStdinEofOnlyOnClose() throws Exception {
    final Pod pod = deployReady("eof", v1);
    final String name = container(pod);
    final ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).redirectingInput()
        .writingOutput(new ByteArrayOutputStream()).exec("sh", "-c", "cat > /tmp/in; echo eof > /tmp/eof");
    try {
      watch.getInput().write("abc".getBytes(StandardCharsets.UTF_8));
      // When
      watch.getInput().close();
      // Then: the bytes arrived, but cat still waits for more
      awaitText(() -> Docker.run(host, 10, "exec", name, "cat", "/tmp/in").out, "abc");
      assertThat(Docker.run(host, 10, "exec", name, "cat", "/tmp/eof").exit).isNotZero();
      assertThat(watch.exitCode()).isNotDone();
    } finally {
      // When
      watch.close();
    }
    // Then
    awaitText(() -> Docker.run(host, 10, "exec", name, "cat", "/tmp/eof").out, "eof");
    assertThat(watch.exitCode().get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  @DisplayName("Given a raw v4 exec WebSocket, when the client sends stdin and the v5 close frame [255, 0], then the"
      + " process sees EOF, its stdout comes on channel 1 and [3] Success follows, then close 1000")
  void execRawWebSocket() throws Exception {
    final Pod pod = deployReady("raw", v1);
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder status = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("v4.channel.k8s.io")
        .header("Authorization", "Bearer " + Authentication.TOKEN)
        .buildAsync(URI.create(rig.url().replace("http:", "ws:") + "/api/v1/namespaces/" + NS + "/pods/"
            + pod.getMetadata().getName() + "/exec?command=cat&stdin=true&stdout=true&stderr=true"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                final byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                final String text = new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
                synchronized (stdout) {
                  (bytes[0] == 1 ? stdout : status).append(text);
                }
                webSocket.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                closed.complete(code);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    // When
    ws.sendBinary(ByteBuffer.wrap(new byte[] { 0, 'h', 'i' }), true).get(5, TimeUnit.SECONDS);
    ws.sendBinary(ByteBuffer.wrap(new byte[] { (byte) 255, 0 }), true).get(5, TimeUnit.SECONDS);
    // Then
    assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    synchronized (stdout) {
      assertThat(stdout.toString()).isEqualTo("hi");
      assertThat(status.toString()).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
    }
  }

  @Test
  @DisplayName("Given a docker-backed pod, then a port-forward reaches its container's port (nc inside it)")
  void portForwardReachesTheContainer() throws Exception {
    final Pod pod = deployReady("fwd", v1);
    try (LocalPortForward forward = client.pods().inNamespace(NS).withName(pod.getMetadata().getName())
        .portForward(8080)) {
      final HttpResponse<String> response = Http.send("GET", "http://127.0.0.1:" + forward.getLocalPort()
          + "/index.html", null, null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("v1\n");
    }
  }

  @Test
  @DisplayName("Given a ready docker-backed Deployment, when its image changes, then a new pod runs the new image, the"
      + " old container is removed, and deleting the Deployment removes the new one")
  void rollingUpdateAndDelete() throws Exception {
    final Pod old = deployReady("roll", v1);
    // When
    client.apps().deployments().inNamespace(NS).withName("roll")
        .edit(d -> {
          d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(v2);
          return d;
        });
    // Then
    awaitReady("roll");
    final Pod fresh = readyPod("roll");
    assertThat(fresh.getMetadata().getName()).isNotEqualTo(old.getMetadata().getName());
    assertThat(Docker.ok(host, "exec", container(fresh), "cat", "/www/index.html")).isEqualTo("v2\n");
    Docker.awaitContainers(host, "label=dev.llmstack.rig.pod=" + NS + "/" + old.getMetadata().getName(),
        List::isEmpty);

    // When
    client.apps().deployments().inNamespace(NS).withName("roll").delete();
    // Then
    Docker.awaitContainers(host, "label=dev.llmstack.rig.pod=" + NS + "/" + fresh.getMetadata().getName(),
        List::isEmpty);
  }

  @Test
  @DisplayName("Given an image that is not in the daemon, then the container waits with ErrImageNeverPull and docker's"
      + " message; given a container that exits 3, then it is terminated with exit code 3 (Error), not ready")
  void missingImageAndExitedContainer() {
    // When
    client.resource(deployment(NS, "missing", 1, web("missing", "kube-rig-test/absent:never"))).create();
    final PodTemplateSpec exits = web("exits", v1);
    exits.getSpec().getContainers().get(0).setCommand(List.of("sh", "-c", "exit 3"));
    client.resource(deployment(NS, "exits", 1, exits)).create();
    // Then
    final Pod missing = awaitPod("missing",
        p -> p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
            && "ErrImageNeverPull".equals(p.getStatus().getContainerStatuses().get(0).getState().getWaiting()
                .getReason()));
    assertThat(missing.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(missing.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .contains("kube-rig-test/absent:never", "No such image");
    final Pod exited = awaitPod("exits",
        p -> p.getStatus().getContainerStatuses().get(0).getState().getTerminated() != null);
    assertThat(exited.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(exited.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Error");
    assertThat(KubeletSimulator.isReady(exited)).isFalse();
  }

  @Test
  @DisplayName("Given a simulated pod, an unknown pod or container, no command, then exec answers 400/404 Status")
  void execErrors() throws Exception {
    client.resource(deployment(NS, "sim", 1, Workloads.template("sim", "sim:1", Map.of()))).create();
    awaitReady("sim");
    final String simPod = readyPod("sim").getMetadata().getName();
    final String base = rig.url() + "/api/v1/namespaces/" + NS + "/pods/";

    HttpResponse<String> r = Http.send("GET", base + simPod + "/exec?command=ls&stdout=true", null, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("pod " + NS + "/" + simPod + " is simulated (no containers); annotate it with"
        + " rig.llmstack.dev/run: docker to exec into it");

    r = Http.send("GET", base + "nope/exec?command=ls&stdout=true", null, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("pods \\\"nope\\\" not found");

    final String dockerPod = deployReady("errs", v1).getMetadata().getName();
    r = Http.send("GET", base + dockerPod + "/exec?command=ls&stdout=true&container=other", null, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("container other is not valid for pod " + dockerPod);

    r = Http.send("GET", base + dockerPod + "/exec?stdout=true", null, null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("you must specify at least 1 command");
  }

  @Test
  @DisplayName("Given a rig with docker-backed pods running, when it closes, then no container with its label is left"
      + " and another rig's containers still run")
  void closeRemovesEveryContainer() throws Exception {
    final String stays = container(deployReady("stays", v1));
    final KubeRig other = KubeRig.builder().dockerHost(host).start();
    final String label = "label=dev.llmstack.rig.instance=" + other.dockerInstance();
    try {
      other.client().resource(deployment(NS, "closing", 2, web("closing", v1))).create();
      other.client().apps().deployments().inNamespace(NS).withName("closing").waitUntilCondition(d -> d != null
          && d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()), 30,
          TimeUnit.SECONDS);
      assertThat(Docker.containers(host, label)).hasSize(2);
    } finally {
      // When
      other.close();
    }
    // Then
    assertThat(Docker.containers(host, label)).isEmpty();
    assertThat(Docker.ok(host, "inspect", "--format", "{{.State.Running}}", stays)).isEqualTo("true\n");
  }

  @Test
  @DisplayName("Given a ready docker-backed StatefulSet pod, when /rig/replace-pod deletes it, then the pod of the same"
      + " name comes back with a new container under the same name")
  void statefulSetPodReplaced() throws Exception {
    client.resource(Workloads.statefulSet(NS, "db", 1, web("db", v1))).create();
    client.apps().statefulSets().inNamespace(NS).withName("db").waitUntilCondition(s -> s != null
        && s.getStatus() != null && Integer.valueOf(1).equals(s.getStatus().getReadyReplicas()), 30, TimeUnit.SECONDS);
    final Pod before = client.pods().inNamespace(NS).withName("db-0").get();
    final String id = before.getStatus().getContainerStatuses().get(0).getContainerID();
    // When
    final HttpResponse<String> replaced = Http.send("POST", rig.url() + "/rig/replace-pod?namespace=" + NS
        + "&name=db-0", null, null);
    assertThat(replaced.statusCode()).isEqualTo(200);
    // Then
    final Pod after = client.pods().inNamespace(NS).withName("db-0").waitUntilCondition(p -> p != null
        && !p.getMetadata().getUid().equals(before.getMetadata().getUid()) && KubeletSimulator.isReady(p), 30,
        TimeUnit.SECONDS);
    final String newId = after.getStatus().getContainerStatuses().get(0).getContainerID();
    assertThat(newId).isNotEqualTo(id);
    assertThat(Docker.ok(host, "inspect", "--format", "docker://{{.Id}} {{.State.Running}}",
        "llmstack-rig-" + NS + "-db-0-web")).isEqualTo(newId + " true\n");
    assertThat(Docker.containers(host, "label=dev.llmstack.rig.pod=" + NS + "/db-0")).hasSize(1);
  }

  @Test
  @DisplayName("Given a docker-backed Job whose container exits 0, then the pod succeeds and the Job completes")
  void jobRunsToCompletion() {
    final PodTemplateSpec template = web("once", v1);
    template.getSpec().getContainers().get(0).setCommand(List.of("sh", "-c", "echo done"));
    client.resource(Workloads.job(NS, "once", template)).create();
    client.batch().v1().jobs().inNamespace(NS).withName("once").waitUntilCondition(j -> j != null
        && j.getStatus() != null && Integer.valueOf(1).equals(j.getStatus().getSucceeded()), 30, TimeUnit.SECONDS);
    final Pod pod = client.pods().inNamespace(NS).withLabel("job-name", "once").list().getItems().get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Completed");
  }

  @Test
  @DisplayName("Given KubeRigMain --docker-host, then a docker-backed pod runs, and SIGTERM removes its container")
  void kubeRigMainRunsAndRemovesContainers(@TempDir Path dir) throws Exception {
    final Path kubeconfig = dir.resolve("kube/config");
    final Process main = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), KubeRigMain.class.getName(), "--kubeconfig", kubeconfig.toString(),
        "--docker-host", host).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    final String label = "label=dev.llmstack.rig.pod=main/solo";
    try {
      final java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
          main.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).startsWith("kube rig ready at ");
      assertThat(lines.readLine()).isEqualTo("kube rig: pods annotated rig.llmstack.dev/run: docker run on " + host);
      try (KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
          .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(java.nio.file.Files.readString(kubeconfig)))
          .build()) {
        final Pod solo = Workloads.pod("main", "solo", DOCKER);
        solo.getSpec().getContainers().get(0).setImage(v1);
        c.resource(solo).create();
        c.pods().inNamespace("main").withName("solo").waitUntilCondition(p -> p != null
            && KubeletSimulator.isReady(p), 30, TimeUnit.SECONDS);
      }
      assertThat(Docker.containers(host, label)).hasSize(1);
    } finally {
      // When
      main.destroy();
      assertThat(main.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    // Then
    assertThat(Docker.containers(host, label)).isEmpty();
  }

  /** A one-file ustar archive (what the plugin's sync would send). */
  static final class Tar {
    private Tar() {
    }

    static byte[] of(String name, byte[] content) {
      final byte[] header = new byte[512];
      put(header, 0, name);
      put(header, 100, "0000644\0");
      put(header, 108, "0000000\0");
      put(header, 116, "0000000\0");
      put(header, 124, String.format("%011o\0", content.length));
      put(header, 136, String.format("%011o\0", System.currentTimeMillis() / 1000));
      Arrays.fill(header, 148, 156, (byte) ' ');
      header[156] = '0';
      put(header, 257, "ustar\0");
      put(header, 263, "00");
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      put(header, 148, String.format("%06o\0 ", sum));
      final int padded = (content.length + 511) / 512 * 512;
      final byte[] tar = new byte[512 + padded + 1024];
      System.arraycopy(header, 0, tar, 0, 512);
      System.arraycopy(content, 0, tar, 512, content.length);
      return tar;
    }

    private static void put(byte[] header, int offset, String value) {
      final byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
  }
}
