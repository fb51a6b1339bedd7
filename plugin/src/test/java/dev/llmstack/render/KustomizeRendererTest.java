package dev.llmstack.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.process.ProcessRunner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code kubectl kustomize}. */
class KustomizeRendererTest {

  private static final String KUBECTL = "/usr/bin/kubectl";

  @TempDir Path dir;
  private final ProcessRunner runner = new ProcessRunner(Duration.ofMinutes(1));

  @BeforeEach
  void kubectlInstalled() {
    // The real kustomize is part of the test: without kubectl these tests fail, they never skip.
    assertThat(Path.of(KUBECTL)).as("kubectl must be installed (it carries kustomize)").isExecutable();
  }

  private Path overlay(String kustomization) throws IOException {
    Path overlay = Files.createDirectories(dir.resolve("overlays/dev"));
    Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
    Files.writeString(
        overlay.resolve("configmap.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: litellm-config
        data:
          mode: dev
        """);
    return overlay;
  }

  @Test
  @DisplayName("renders an overlay with the real kubectl kustomize, applying its namePrefix")
  void renders() throws IOException {
    // Given an overlay with namePrefix dev- and one resource
    Path overlay = overlay("""
        namePrefix: dev-
        resources:
          - configmap.yaml
        """);

    // When it is rendered with kubectl
    String yaml = new KustomizeRenderer(KUBECTL, runner).render(overlay);

    // Then the output has the prefixed name and parses into that object
    assertThat(yaml).contains("name: dev-litellm-config").contains("mode: dev");
    List<HasMetadata> objects = ManifestParser.parse(yaml, overlay.toString());
    assertThat(objects).singleElement().satisfies(o -> assertThat(o.getMetadata().getName()).isEqualTo("dev-litellm-config"));
  }

  @Test
  @DisplayName("with no executable configured, finds a kustomize on the PATH and renders")
  void rendersFromPath() throws IOException {
    // Given the same overlay and nothing configured (kubectl is on the PATH on this machine)
    assertThat(ProcessRunner.findExecutable("kubectl")).as("kubectl on the PATH").isPresent();
    Path overlay = overlay("""
        namePrefix: dev-
        resources:
          - configmap.yaml
        """);

    // Then rendering works without a configured executable
    assertThat(new KustomizeRenderer(null, runner).render(overlay)).contains("name: dev-litellm-config");
  }

  @Test
  @DisplayName("accepts kustomization.yml as the kustomization file")
  void ymlExtension() throws IOException {
    Path overlay = overlay("resources:\n  - configmap.yaml\n");
    Files.move(overlay.resolve("kustomization.yaml"), overlay.resolve("kustomization.yml"));

    assertThat(new KustomizeRenderer(KUBECTL, runner).render(overlay)).contains("name: litellm-config");
  }

  @Test
  @DisplayName("a missing overlay directory is an error pointing at <overlay>")
  void missingOverlay() {
    Path missing = dir.resolve("overlays/nope");

    assertThatThrownBy(() -> new KustomizeRenderer(KUBECTL, runner).render(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("<overlay>");
  }

  @Test
  @DisplayName("a directory without kustomization.yaml is an error pointing at <overlay>")
  void directoryWithoutKustomization() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("overlays/empty"));

    assertThatThrownBy(() -> new KustomizeRenderer(KUBECTL, runner).render(empty))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no kustomization.yaml")
        .hasMessageContaining("<overlay>");
  }

  @Test
  @DisplayName("a broken kustomization (resource file missing) is an error carrying kustomize's stderr")
  void brokenKustomization() throws IOException {
    // Given an overlay listing a resource that does not exist
    Path overlay = overlay("""
        resources:
          - configmap.yaml
          - missing-deployment.yaml
        """);

    // Then the error says which command failed and contains kustomize's own explanation
    assertThatThrownBy(() -> new KustomizeRenderer(KUBECTL, runner).render(overlay))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("kubectl kustomize " + overlay)
        .hasMessageContaining("failed")
        .hasMessageContaining("missing-deployment.yaml")
        .hasMessageContaining("Fix the overlay");
  }

  @Test
  @DisplayName("a configured executable that does not exist is an error pointing at <kustomizeExecutable>")
  void missingExecutable() throws IOException {
    Path overlay = overlay("resources:\n  - configmap.yaml\n");
    String missing = dir.resolve("bin/kustomize").toString();

    assertThatThrownBy(() -> new KustomizeRenderer(missing, runner).render(overlay))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + missing + "'")
        .hasMessageContaining("<kustomizeExecutable>");
  }

  @Test
  @DisplayName("a configured bare name that is not on the PATH is an error pointing at <kustomizeExecutable>")
  void missingExecutableName() throws IOException {
    Path overlay = overlay("resources:\n  - configmap.yaml\n");

    assertThatThrownBy(() -> new KustomizeRenderer("no-such-kustomize-binary", runner).render(overlay))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<kustomizeExecutable>");
  }

  @Test
  @DisplayName("picks the arguments from the executable's name: kubectl kustomize, minikube kubectl -- kustomize, kustomize build")
  void argumentsByExecutableName() throws IOException {
    // Given executables named kubectl, minikube and kustomize
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path kubectl = executable(bin.resolve("kubectl"));
    Path minikube = executable(bin.resolve("minikube"));
    Path kustomize = executable(bin.resolve("kustomize"));

    // Then each is invoked in its own way
    assertThat(new KustomizeRenderer(kubectl.toString(), runner).tool().arguments()).containsExactly("kustomize");
    assertThat(new KustomizeRenderer(minikube.toString(), runner).tool().arguments()).containsExactly("kubectl", "--", "kustomize");
    assertThat(new KustomizeRenderer(kustomize.toString(), runner).tool().arguments()).containsExactly("build");
    assertThat(new KustomizeRenderer(kustomize.toString(), runner).tool().executable()).isEqualTo(kustomize);
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
