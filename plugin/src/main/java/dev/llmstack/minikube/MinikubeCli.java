package dev.llmstack.minikube;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The minikube CLI, for one profile: status, docker-env, its size, image load. */
public final class MinikubeCli {

  /** What {@code minikube status} says of the profile's host. */
  public record Status(boolean running, String description) {}

  /** {@code docker-env} output, or why there is none (containerd runtime, none driver). */
  public record DockerEnv(Map<String, String> variables, String unavailableBecause) {
    public boolean available() {
      return unavailableBecause == null;
    }
  }

  /** What the profile was created with: CPUs and memory (MB) per node, and its nodes. */
  public record Size(int cpus, int memoryMb, int nodes) {}

  private final Path executable;
  private final String profile;
  private final ProcessRunner runner;

  public MinikubeCli(Path executable, String profile, ProcessRunner runner) {
    this.executable = executable;
    this.profile = profile;
    this.runner = runner;
  }

  /**
   * The CLI for a profile, if it is installed.
   *
   * @param executable a path or a name looked up on PATH; null for {@code minikube}
   * @param profile null for {@link DestinationResolver#DEFAULT_PROFILE}
   */
  public static Optional<MinikubeCli> find(String executable, String profile, ProcessRunner runner) {
    return ProcessRunner.findExecutable(executable == null ? "minikube" : executable)
        .map(path -> new MinikubeCli(path, profile == null ? DestinationResolver.DEFAULT_PROFILE : profile, runner));
  }

  public String profile() {
    return profile;
  }

  public Path executable() {
    return executable;
  }

  /** Where a daemon address came from, as logs and errors say it. */
  String dockerEnvOrigin() {
    return "minikube profile '" + profile + "' docker-env";
  }

  public Status status() {
    ProcessRunner.Result r = runner.run(executable, List.of("-p", profile, "status", "-o", "json"));
    String host = hostState(r.stdout());
    if (r.ok() && "Running".equals(host)) {
      return new Status(true, "Running");
    }
    return new Status(false, host != null ? host : r.firstErrorLine());
  }

  /** The first node's host state: one object per profile, or an array of one per node. */
  private static String hostState(String json) {
    try {
      Object status = JSON.std.anyFrom(json.isBlank() ? "{}" : json);
      Object node = status instanceof List<?> nodes && !nodes.isEmpty() ? nodes.get(0) : status;
      return node instanceof Map<?, ?> fields && fields.get("Host") instanceof String host ? host : null;
    } catch (IOException e) {
      return null;
    }
  }

  public DockerEnv dockerEnv() {
    ProcessRunner.Result r = runner.run(executable, List.of("-p", profile, "docker-env", "--shell", "none"));
    if (!r.ok()) {
      return new DockerEnv(Map.of(), r.firstErrorLine());
    }
    Map<String, String> variables = new LinkedHashMap<>();
    r.stdout()
        .lines()
        .map(String::strip)
        .filter(l -> l.contains("=") && !l.startsWith("#"))
        .forEach(l -> variables.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    if (!variables.containsKey("DOCKER_HOST")) {
      return new DockerEnv(Map.of(), "docker-env printed no DOCKER_HOST");
    }
    return new DockerEnv(variables, null);
  }

  /**
   * The profile's size from {@code minikube profile list -o json --light} (its stored config, without
   * minikube's status checks over ssh); empty when minikube has no such profile or says nothing usable.
   */
  public Optional<Size> size() {
    ProcessRunner.Result r = runner.run(executable, List.of("profile", "list", "-o", "json", "--light"));
    try {
      Object list = JSON.std.anyFrom(r.stdout().isBlank() ? "{}" : r.stdout());
      if (!(list instanceof Map<?, ?> all) || !(all.get("valid") instanceof List<?> valid)) {
        return Optional.empty();
      }
      for (Object entry : valid) {
        if (entry instanceof Map<?, ?> p && profile.equals(p.get("Name")) && p.get("Config") instanceof Map<?, ?> config
            && config.get("CPUs") instanceof Number cpus && config.get("Memory") instanceof Number memory) {
          int nodes = config.get("Nodes") instanceof List<?> n && !n.isEmpty() ? n.size() : 1;
          return Optional.of(new Size(cpus.intValue(), memory.intValue(), nodes));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code minikube image load <tar>}: puts an image into the cluster's container runtime. */
  public void imageLoad(Path tar) {
    ProcessRunner.Result r = runner.run(executable, List.of("-p", profile, "image", "load", tar.toString()));
    if (!r.ok()) {
      throw new ConfigurationException(
          "minikube -p " + profile + " image load " + tar.getFileName() + " failed: " + r.firstErrorLine() + ".",
          "Check that the profile runs (minikube -p " + profile + " status).");
    }
  }
}
