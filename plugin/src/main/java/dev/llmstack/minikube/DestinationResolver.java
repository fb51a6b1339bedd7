package dev.llmstack.minikube;

import dev.llmstack.docker.DockerEndpoint;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.BuildTarget;
import dev.llmstack.image.ImageDestination;
import dev.llmstack.log.BuildLog;
import dev.llmstack.process.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Decides where images go: minikube's daemon when a profile runs (its docker-env), tar plus
 * {@code minikube image load} when it runs without one, the local daemon when no minikube runs.
 * Never builds into another daemon than the one the user meant without saying so.
 */
public final class DestinationResolver {

  /**
   * @param minikubeProfile explicitly configured profile, or null for the default ("minikube")
   * @param minikubeExecutable explicitly configured executable, or null for "minikube" on PATH
   * @param dockerHost explicit daemon, or null
   * @param stateDirectory where minikube's docker-env is remembered between builds, or null for never
   */
  public record Options(
      BuildTarget target,
      String registry,
      Path tarDirectory,
      String minikubeProfile,
      String minikubeExecutable,
      String dockerHost,
      Path dockerCertPath,
      Path stateDirectory) {}

  public static final String DEFAULT_PROFILE = "minikube";

  private final Map<String, String> environment;
  private final BuildLog log;
  private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(60));

  public DestinationResolver(Map<String, String> environment, BuildLog log) {
    this.environment = environment;
    this.log = log;
  }

  public ImageDestination resolve(Options o) {
    return switch (o.target()) {
      case REGISTRY -> registry(o);
      case TAR -> tarTarget(o);
      case DOCKER -> docker(o);
    };
  }

  private ImageDestination registry(Options o) {
    if (o.registry() == null || o.registry().isBlank()) {
      throw new ConfigurationException(
          "Target 'registry' needs a registry to push to.",
          "Set <registry> (or -Dllmstack.registry), e.g. localhost:5000/llmstack.");
    }
    return new ImageDestination.Registry(o.registry().replaceAll("/+$", ""));
  }

  /** Target tar: loaded into minikube only when it runs without a Docker daemon of its own. */
  private ImageDestination tarTarget(Options o) {
    Optional<MinikubeCli> withoutDocker =
        minikube(o).filter(m -> m.status().running()).filter(m -> !m.dockerEnv().available());
    return tar(o, withoutDocker.orElse(null));
  }

  /** @param loadInto a running minikube to {@code image load} the tars into, or null */
  private ImageDestination tar(Options o, MinikubeCli loadInto) {
    ImageDestination.TarLoader loader = null;
    if (loadInto != null) {
      MinikubeCli m = loadInto;
      loader =
          new ImageDestination.TarLoader() {
            @Override
            public void load(Path tar) {
              m.imageLoad(tar);
            }

            @Override
            public String describe() {
              return "minikube -p " + m.profile() + " image load";
            }
          };
    }
    return new ImageDestination.Tar(o.tarDirectory(), loader);
  }

  private ImageDestination docker(Options o) {
    if (o.dockerHost() != null && !o.dockerHost().isBlank()) {
      return new ImageDestination.Daemon(
          new DockerEndpoint(o.dockerHost(), o.dockerCertPath() != null, o.dockerCertPath(), "<dockerHost>"));
    }
    Optional<MinikubeCli> minikube = minikube(o);
    if (minikube.isEmpty()) {
      return localDaemon("no minikube CLI on PATH");
    }
    MinikubeCli m = minikube.get();
    RememberedDockerEnv memory = o.stateDirectory() == null ? null : new RememberedDockerEnv(o.stateDirectory(), m);
    if (memory != null) {
      Optional<ImageDestination.Daemon> remembered = memory.read(() -> askAgain(o, m, memory));
      if (remembered.isPresent()) {
        return remembered.get();
      }
    }
    return askMinikube(o, m, memory);
  }

  /** The remembered daemon is gone: what minikube says now, if it is still a daemon. */
  private ImageDestination.Daemon askAgain(Options o, MinikubeCli m, RememberedDockerEnv memory) {
    if (askMinikube(o, m, memory) instanceof ImageDestination.Daemon again) {
      return again;
    }
    throw new ConfigurationException(
        "minikube profile '" + m.profile() + "' runs without a Docker daemon now.",
        "Run the build again: it then writes image tars and loads them with minikube image load.");
  }

  /** Two minikube CLI runs: status, then docker-env; {@code memory} keeps the answer, if not null. */
  private ImageDestination askMinikube(Options o, MinikubeCli m, RememberedDockerEnv memory) {
    MinikubeCli.Status status = m.status();
    if (!status.running()) {
      if (o.minikubeProfile() != null) {
        throw new ConfigurationException(
            "minikube profile '" + m.profile() + "' is not running (" + status.description() + ").",
            "Start it (minikube start -p " + m.profile() + "), or remove <minikubeProfile> to build into"
                + " the local Docker daemon.");
      }
      return localDaemon("minikube profile '" + m.profile() + "' is not running");
    }
    MinikubeCli.DockerEnv env = m.dockerEnv();
    if (!env.available()) {
      log.warn(
          "minikube profile '" + m.profile() + "' has no Docker daemon to build into ("
              + env.unavailableBecause() + "); writing image tars and loading them with minikube image load.");
      return tar(o, m);
    }
    DockerEndpoint endpoint = DockerEndpoint.fromDockerEnv(env.variables(), m.dockerEnvOrigin());
    return memory == null ? new ImageDestination.Daemon(endpoint) : memory.justAsked(endpoint, () -> askAgain(o, m, memory));
  }

  private ImageDestination localDaemon(String why) {
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment(environment);
    log.info("Building into " + endpoint + " (" + why + ").");
    return new ImageDestination.Daemon(endpoint);
  }

  private Optional<MinikubeCli> minikube(Options o) {
    Optional<MinikubeCli> found = MinikubeCli.find(o.minikubeExecutable(), o.minikubeProfile(), runner);
    if (found.isEmpty() && (o.minikubeExecutable() != null || o.minikubeProfile() != null)) {
      throw new ConfigurationException(
          "The minikube CLI '" + (o.minikubeExecutable() == null ? "minikube" : o.minikubeExecutable()) + "' was not found, but a"
              + " minikube profile or executable is configured.",
          "Install minikube (https://minikube.sigs.k8s.io) or set <minikubeExecutable> to its path.");
    }
    return found;
  }
}
