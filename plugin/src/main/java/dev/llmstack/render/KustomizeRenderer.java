package dev.llmstack.render;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the real kustomize on an overlay: {@code kustomize build}, else {@code kubectl kustomize},
 * else {@code minikube kubectl -- kustomize}, or the configured executable.
 */
public final class KustomizeRenderer {

  /** How kustomize is invoked: the executable and the arguments before the overlay directory. */
  record Tool(Path executable, List<String> arguments) {
    String describe() {
      return executable.getFileName() + " " + String.join(" ", arguments);
    }
  }

  private final String configuredExecutable;
  private final ProcessRunner runner;

  /** @param configuredExecutable a kustomize, kubectl or minikube executable, or null to search PATH */
  public KustomizeRenderer(String configuredExecutable, ProcessRunner runner) {
    this.configuredExecutable = configuredExecutable;
    this.runner = runner;
  }

  public String render(Path overlay) {
    if (!Files.isDirectory(overlay) || kustomizationIn(overlay).isEmpty()) {
      throw new ConfigurationException(
          "Overlay " + overlay + " is not a kustomize directory (no kustomization.yaml there).",
          "Create it, or point <overlay> (-Dllmstack.overlay) at the overlay to deploy, e.g. k8s/overlays/dev.");
    }
    Tool tool = tool();
    List<String> args = new ArrayList<>(tool.arguments());
    args.add(overlay.toString());
    ProcessRunner.Result result = runner.run(tool.executable(), args);
    if (!result.ok()) {
      throw new ConfigurationException(
          tool.describe() + " " + overlay + " failed: " + result.stderr().strip().replace('\n', ' ') + ".",
          "Fix the overlay (run that command to see the same error), then deploy again.");
    }
    return result.stdout();
  }

  private static Optional<Path> kustomizationIn(Path dir) {
    return List.of("kustomization.yaml", "kustomization.yml", "Kustomization").stream()
        .map(dir::resolve)
        .filter(Files::isRegularFile)
        .findFirst();
  }

  Tool tool() {
    if (configuredExecutable != null) {
      Path exe =
          ProcessRunner.findExecutable(configuredExecutable)
              .orElseThrow(
                  () ->
                      new ConfigurationException(
                          "The kustomize executable '" + configuredExecutable + "' was not found.",
                          "Set <kustomizeExecutable> (-Dllmstack.kustomizeExecutable) to the path of kustomize, kubectl or minikube."));
      return toolFor(exe);
    }
    for (String candidate : List.of("kustomize", "kubectl", "minikube")) {
      Optional<Path> found = ProcessRunner.findExecutable(candidate);
      if (found.isPresent()) {
        return toolFor(found.get());
      }
    }
    throw new ConfigurationException(
        "No kustomize found: none of kustomize, kubectl or minikube is on the PATH.",
        "Install kubectl (it contains kustomize) or set <kustomizeExecutable> to a kustomize binary.");
  }

  private static Tool toolFor(Path exe) {
    String name = exe.getFileName().toString();
    if (name.startsWith("kubectl")) {
      return new Tool(exe, List.of("kustomize"));
    }
    if (name.startsWith("minikube")) {
      return new Tool(exe, List.of("kubectl", "--", "kustomize"));
    }
    return new Tool(exe, List.of("build"));
  }
}
