package dev.llmstack.image;

import dev.llmstack.docker.DaemonClient;
import dev.llmstack.docker.DockerEndpoint;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.log.BuildLog;
import java.time.Duration;
import java.util.Optional;

/** Connects to a build's daemon; for minikube's, at the remembered address while the same daemon answers there. */
public final class DaemonConnection {

  /**
   * A remembered address that is gone (minikube stopped, or restarted on another port) should cost
   * little before minikube is asked: a refused connection is immediate, a stopped VM is not.
   */
  private static final Duration REMEMBERED_CONNECT = Duration.ofSeconds(1);

  private static final Duration REMEMBERED_PING = Duration.ofSeconds(5);

  private DaemonConnection() {}

  /** The build's way in (llmstack:check opens it too, to fail as the build would). */
  public static DaemonClient open(ImageDestination.Daemon destination, BuildLog log) {
    ImageDestination.Finder finder = destination.finder();
    if (finder == null) {
      return DaemonClient.connect(destination.endpoint());
    }
    DockerEndpoint endpoint = destination.endpoint();
    Optional<String> remembered = finder.rememberedDaemonId();
    if (remembered.isPresent()) {
      Optional<DaemonClient> same = sameDaemon(endpoint, remembered.get());
      if (same.isPresent()) {
        return same.get();
      }
      log.info("minikube's Docker daemon is no longer the one at " + endpoint.host() + "; asking minikube where it is.");
      ImageDestination.Daemon again = finder.findAgain();
      if (again.finder() != null) {
        log.info("Building into Docker daemon " + again.endpoint() + ".");
      }
      return open(again, log);
    }
    DaemonClient client = DaemonClient.connect(endpoint);
    try {
      finder.remember(endpoint, client.info().id());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** The client if the daemon with that ID answers at the endpoint; empty if none does, or another. */
  private static Optional<DaemonClient> sameDaemon(DockerEndpoint endpoint, String daemonId) {
    DaemonClient client;
    try {
      client = DaemonClient.connect(endpoint, REMEMBERED_CONNECT, REMEMBERED_PING);
    } catch (LlmstackException gone) {
      return Optional.empty();
    }
    try {
      if (daemonId.equals(client.info().id())) {
        return Optional.of(client);
      }
    } catch (RuntimeException unreadable) {
      // not a daemon that answers as the remembered one did
    }
    client.close();
    return Optional.empty();
  }
}
