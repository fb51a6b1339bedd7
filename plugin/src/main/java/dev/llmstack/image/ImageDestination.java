package dev.llmstack.image;

import dev.llmstack.docker.DockerEndpoint;
import java.nio.file.Path;

/** Where the images of one build go, resolved from the target and the machine's state. */
public sealed interface ImageDestination {

  String describe();

  /** A Docker daemon (minikube's or the local one). */
  record Daemon(DockerEndpoint endpoint) implements ImageDestination {
    @Override
    public String describe() {
      return "Docker daemon " + endpoint;
    }
  }

  /** A registry; {@code prefix} is prepended to each repository, e.g. {@code localhost:5000/llmstack}. */
  record Registry(String prefix) implements ImageDestination {
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
