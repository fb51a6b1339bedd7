package dev.llmstack.minikube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinikubeCliTest {

  @TempDir Path dir;
  private FakeMinikube fake;

  @BeforeEach
  void install() throws IOException {
    fake = FakeMinikube.installIn(dir);
  }

  @Test
  @DisplayName("reports a running profile as running")
  void running() throws IOException {
    // Given a running profile
    MinikubeCli cli = cli("running");

    // When its status is asked
    MinikubeCli.Status status = cli.status();

    // Then it runs, and minikube was asked for JSON about that profile
    assertThat(status).isEqualTo(new MinikubeCli.Status(true, "Running"));
    assertThat(fake.calls()).containsExactly("-p running status -o json");
  }

  @Test
  @DisplayName("reads the first node's host state from a multi-node status array")
  void multiNode() {
    assertThat(cli("multinode").status().running()).isTrue();
  }

  @Test
  @DisplayName("reports a stopped profile as not running, with minikube's host state")
  void stopped() {
    assertThat(cli("stopped").status()).isEqualTo(new MinikubeCli.Status(false, "Stopped"));
  }

  @Test
  @DisplayName("reports a missing profile as not running, with minikube's explanation")
  void missingProfile() {
    MinikubeCli.Status status = cli("nope").status();

    assertThat(status.running()).isFalse();
    assertThat(status.description()).contains("Profile \"nope\" not found");
  }

  @Test
  @DisplayName("reads docker-env's KEY=VALUE lines")
  void dockerEnv() throws IOException {
    MinikubeCli.DockerEnv env = cli("running").dockerEnv();

    assertThat(env.available()).isTrue();
    assertThat(env.unavailableBecause()).isNull();
    assertThat(env.variables())
        .containsEntry("DOCKER_TLS_VERIFY", "1")
        .containsEntry("DOCKER_HOST", "tcp://10.0.0.1:2376")
        .containsEntry("DOCKER_CERT_PATH", "/certs")
        .containsEntry("MINIKUBE_ACTIVE_DOCKERD", "running");
    assertThat(fake.calls()).containsExactly("-p running docker-env --shell none");
  }

  @Test
  @DisplayName("says why docker-env is unavailable on a containerd cluster")
  void containerd() {
    MinikubeCli.DockerEnv env = cli("containerd").dockerEnv();

    assertThat(env.available()).isFalse();
    assertThat(env.variables()).isEmpty();
    assertThat(env.unavailableBecause()).contains("containerd");
  }

  @Test
  @DisplayName("treats docker-env output without DOCKER_HOST as unavailable")
  void noHost() {
    MinikubeCli.DockerEnv env = cli("nohost").dockerEnv();

    assertThat(env.available()).isFalse();
    assertThat(env.unavailableBecause()).contains("DOCKER_HOST");
  }

  @Test
  @DisplayName("loads an image tar into the profile")
  void imageLoad() throws IOException {
    Path tar = dir.resolve("images/litellm.tar");

    cli("containerd").imageLoad(tar);

    assertThat(fake.imageLoads()).containsExactly("-p containerd image load " + tar);
  }

  @Test
  @DisplayName("fails an image load with minikube's message and a hint to check the profile")
  void imageLoadFails() {
    Path tar = dir.resolve("images/broken.tar");

    assertThatThrownBy(() -> cli("containerd").imageLoad(tar))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("broken.tar")
        .hasMessageContaining("Failed to load image")
        .hasMessageContaining("minikube -p containerd status");
  }

  private MinikubeCli cli(String profile) {
    return new MinikubeCli(fake.executable(), profile, new ProcessRunner(Duration.ofSeconds(30)));
  }
}
