package dev.llmstack.minikube;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmstack.docker.DockerEndpoint;
import dev.llmstack.image.ImageDestination;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * minikube's docker-env as an earlier build of this project found it, and the ID of the daemon
 * that answered there ({@code target/llmstack/minikube-docker-env.json}; no secrets, the
 * certificates stay where minikube keeps them). Saves each build the two minikube CLI runs
 * ({@code status}, {@code docker-env}), which run health checks over ssh.
 */
final class RememberedDockerEnv {

  static final String FILE = "minikube-docker-env.json";

  private final Path file;
  private final MinikubeCli minikube;

  RememberedDockerEnv(Path stateDirectory, MinikubeCli minikube) {
    this.file = stateDirectory.resolve(FILE);
    this.minikube = minikube;
  }

  /** The remembered endpoint and daemon ID, if this profile of this minikube was remembered. */
  Optional<ImageDestination.Daemon> read(Supplier<ImageDestination.Daemon> askMinikube) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Map<String, Object> kept = JSON.std.mapFrom(Files.readString(file));
      if (!minikube.executable().toString().equals(kept.get("executable")) || !minikube.profile().equals(kept.get("profile"))
          || !(kept.get("host") instanceof String host) || !(kept.get("daemonId") instanceof String daemonId)) {
        return Optional.empty();
      }
      String certPath = (String) kept.get("certPath");
      DockerEndpoint endpoint = new DockerEndpoint(
          host, Boolean.TRUE.equals(kept.get("tlsVerify")), certPath == null ? null : Path.of(certPath),
          minikube.dockerEnvOrigin() + ", remembered");
      return Optional.of(new ImageDestination.Daemon(endpoint, finder(daemonId, askMinikube)));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty(); // minikube is asked, and the file written anew
    }
  }

  /** minikube was just asked: the daemon's ID is remembered once it answers. */
  ImageDestination.Daemon justAsked(DockerEndpoint endpoint, Supplier<ImageDestination.Daemon> askMinikube) {
    return new ImageDestination.Daemon(endpoint, finder(null, askMinikube));
  }

  private ImageDestination.Finder finder(String daemonId, Supplier<ImageDestination.Daemon> askMinikube) {
    return new ImageDestination.Finder() {
      @Override
      public Optional<String> rememberedDaemonId() {
        return Optional.ofNullable(daemonId);
      }

      @Override
      public ImageDestination.Daemon findAgain() {
        forget();
        return askMinikube.get();
      }

      @Override
      public void remember(DockerEndpoint endpoint, String answeringId) {
        if (Objects.equals(daemonId, answeringId) || answeringId == null) {
          return; // nothing new (or a daemon without an ID: nothing to check it by)
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("executable", minikube.executable().toString());
        kept.put("profile", minikube.profile());
        kept.put("host", endpoint.host());
        kept.put("tlsVerify", endpoint.tlsVerify());
        kept.put("certPath", endpoint.certPath() == null ? null : endpoint.certPath().toString());
        kept.put("daemonId", answeringId);
        write(kept);
      }
    };
  }

  private void write(Map<String, Object> kept) {
    try {
      Files.createDirectories(file.getParent());
      Path partial = Files.createTempFile(file.getParent(), FILE, ".partial");
      Files.writeString(partial, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(kept) + "\n");
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private void forget() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + file, e);
    }
  }
}
