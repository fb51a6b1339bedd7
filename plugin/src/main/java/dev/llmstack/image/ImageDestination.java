package dev.llmstack.image;

import dev.llmstack.docker.DockerReference;
import dev.llmstack.docker.DockerEndpoint;
import java.nio.file.Path;
import java.util.Optional;

/** Where the images of one build go, resolved from the target and the machine's state. */
public sealed interface ImageDestination {

  String describe();

  /**
   * A Docker daemon (minikube's or the local one). {@code finder} is set for minikube's: its
   * address is remembered between builds, found again when it changes.
   */
  record Daemon(DockerEndpoint endpoint, Finder finder) implements ImageDestination {
    public Daemon(DockerEndpoint endpoint) {
      this(endpoint, null);
    }

    @Override
    public String describe() {
      return "Docker daemon " + endpoint;
    }
  }

  /**
   * Where minikube's daemon is. Asking minikube costs two CLI runs with health checks, so the
   * answer is remembered and trusted while the same daemon (by its ID) answers there.
   */
  interface Finder {
    /** The ID of the daemon that answered at the endpoint last time; empty if minikube was just asked. */
    Optional<String> rememberedDaemonId();

    /** Asks minikube again; throws what asking it the first time would have thrown. */
    Daemon findAgain();

    /** Keeps the endpoint and the ID of the daemon that answered there, for the next build. */
    void remember(DockerEndpoint endpoint, String daemonId);
  }

  /** A registry; {@code prefix} is prepended to each repository, e.g. {@code localhost:5000/llmstack}. */
  record Registry(String prefix) implements ImageDestination {
    public Registry {
      DockerReference.requireRegistry(prefix, "<registry> (-Dllmstack.registry)");
    }

    @Override
    public String describe() {
      return "registry " + prefix;
    }
  }

  /** Tar files in {@code directory}; each is handed to {@code loader} if there is one. */
  record Tar(Path directory, TarLoader loader) implements ImageDestination {
    @Override
    public String describe() {
      return "tar files in " + directory + (loader == null ? "" : ", then " + loader.describe());
    }
  }

  /** Loads a written image tar somewhere, e.g. {@code minikube image load}. */
  interface TarLoader {
    void load(Path tar);

    String describe();
  }
}
