package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("KubeRigMain: the rig as a background process for invoker ITs")
class KubeRigMainTest {

  private static Process java(Path dir, String... args) throws Exception {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KubeRigMain.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
  }

  @Test
  @DisplayName("Given the rig started with --kubeconfig, when --await returns, then a client from that kubeconfig lists namespaces")
  void startAwaitUse(@TempDir Path dir) throws Exception {
    // Given
    final Path kubeconfig = dir.resolve("kube/config");
    final Process rig = java(dir, "--kubeconfig", kubeconfig.toString());
    try {
      // When
      final Process await = java(dir, "--await", kubeconfig.toString(), "--timeout-seconds", "60");
      assertThat(await.waitFor(70, TimeUnit.SECONDS)).isTrue();
      assertThat(await.exitValue()).isZero();
      final String ready = new BufferedReader(new InputStreamReader(rig.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      // Then
      assertThat(ready).matches("kube rig ready at http://127\\.0\\.0\\.1:\\d+");
      final String text = Files.readString(kubeconfig);
      assertThat(text).contains("current-context: minikube", "name: prod-eu");
      assertThat(Config.fromKubeconfig("prod-eu", kubeconfig.toFile()).getMasterUrl())
          .startsWith(ready.substring("kube rig ready at ".length()));
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(text)).build()) {
        assertThat(client.getNamespace()).isEqualTo("default");
        client.resource(new NamespaceBuilder().withNewMetadata().withName("llmstack").endMetadata().build()).create();
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
            .contains("llmstack");
        assertThat(client.namespaces().withName("llmstack").get().getStatus().getPhase()).isEqualTo("Active");
      }
    } finally {
      rig.destroy();
      assertThat(rig.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @DisplayName("Given the rig as a process, then a port-forward reaches the simulated pod's HTTP server and /rig/cut-watches answers")
  void forwardAndControlInProcess(@TempDir Path dir) throws Exception {
    final Path kubeconfig = dir.resolve("kube/config");
    final Process rig = java(dir, "--kubeconfig", kubeconfig.toString());
    try {
      final String ready = new BufferedReader(new InputStreamReader(rig.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      assertThat(ready).startsWith("kube rig ready at ");
      final String url = ready.substring("kube rig ready at ".length());
      try (KubernetesClient client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
        client.resource(Workloads.pod("proc", "web", java.util.Map.of())).create();
        client.pods().inNamespace("proc").withName("web").waitUntilReady(20, TimeUnit.SECONDS);
        try (LocalPortForward lpf = client.pods().inNamespace("proc").withName("web").portForward(8080)) {
          final HttpResponse<String> answer = Http.send("GET", "http://127.0.0.1:" + lpf.getLocalPort() + "/x",
              null, null);
          assertThat(answer.statusCode()).isEqualTo(200);
          assertThat(answer.body()).isEqualTo(
              "{\"pod\":\"web\",\"namespace\":\"proc\",\"port\":8080,\"method\":\"GET\",\"path\":\"/x\"}");
        }
        final HttpResponse<String> cut = Http.send("POST", url + "/rig/cut-watches", null, null);
        assertThat(cut.statusCode()).isEqualTo(200);
        assertThat(cut.body()).matches("\\{\"cut\":\\d+}");
        final HttpResponse<String> readyAt = Http.send("GET", url + "/rig/ready-at?namespace=proc&name=web", null,
            null);
        assertThat(readyAt.statusCode()).isEqualTo(200);
        assertThat(readyAt.body()).startsWith("{\"readyAt\":\"");
      }
    } finally {
      rig.destroy();
      assertThat(rig.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @DisplayName("Given no kubeconfig appears, when --await times out, then it exits 1 with one clear line")
  void awaitTimesOut(@TempDir Path dir) throws Exception {
    final Process await = java(dir, "--await", dir.resolve("missing").toString(), "--timeout-seconds", "1");
    assertThat(await.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(await.exitValue()).isEqualTo(1);
    final String err = new String(await.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(err).doesNotContain("\n").contains("missing does not exist").startsWith("kube rig not ready after 1 s");
  }

  @Test
  @DisplayName("Given the rig started with --exit-on-stdin-eof, when stdin closes, then it exits 0")
  void exitsOnStdinEof(@TempDir Path dir) throws Exception {
    final Process rig = java(dir, "--kubeconfig", dir.resolve("kc").toString(), "--exit-on-stdin-eof");
    try {
      final String ready = new BufferedReader(new InputStreamReader(rig.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      assertThat(ready).startsWith("kube rig ready at ");
      assertThat(new File(dir.toFile(), "kc")).exists();
      rig.getOutputStream().close();
      assertThat(rig.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(rig.exitValue()).isZero();
    } finally {
      rig.destroyForcibly();
    }
  }
}
