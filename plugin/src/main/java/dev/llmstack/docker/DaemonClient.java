package dev.llmstack.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/** The few Docker Engine API calls the plugin makes, over docker-java (unix socket or TCP+TLS). */
public final class DaemonClient implements AutoCloseable {

  private final DockerEndpoint endpoint;
  private final DockerClient docker;

  private DaemonClient(DockerEndpoint endpoint, DockerClient docker) {
    this.endpoint = endpoint;
    this.docker = docker;
  }

  /** Connects and pings; a daemon that does not answer is a configuration error with a fix. */
  public static DaemonClient connect(DockerEndpoint endpoint) {
    DefaultDockerClientConfig.Builder config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(endpoint.host())
            .withDockerTlsVerify(endpoint.tlsVerify());
    if (endpoint.certPath() != null) {
      config.withDockerCertPath(endpoint.certPath().toString());
    }
    DefaultDockerClientConfig resolved;
    try {
      resolved = config.build();
    } catch (RuntimeException e) {
      throw unreachable(endpoint, e);
    }
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(resolved.getDockerHost())
            .sslConfig(resolved.getSSLConfig() != null ? resolved.getSSLConfig() : DeferredTls.systemDefault())
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(30))
            .build();
    DaemonClient client = new DaemonClient(endpoint, DockerClientImpl.getInstance(resolved, http));
    try {
      client.docker.pingCmd().exec();
    } catch (RuntimeException e) {
      client.close();
      throw unreachable(endpoint, e);
    }
    return client;
  }

  /**
   * The failure is attached as suppressed, not as cause: Maven would append the cause's message
   * after the fix. {@code -e} still prints it.
   */
  private static ConfigurationException unreachable(DockerEndpoint endpoint, Exception e) {
    String fix =
        "<dockerHost>".equals(endpoint.origin())
            ? "Start the Docker daemon at that address, or point <dockerHost> (-Dllmstack.dockerHost) at a"
                + " running one, or build with -Dllmstack.target=tar."
            : "Start it (dockerd, or: minikube start, so that build uses minikube's daemon), point"
                + " DOCKER_HOST or <dockerHost> at a running one, or build with -Dllmstack.target=tar.";
    ConfigurationException unreachable =
        new ConfigurationException(
            "The Docker daemon at " + endpoint + " is not reachable: " + Causes.rootMessage(e) + ".", fix);
    unreachable.addSuppressed(e);
    return unreachable;
  }


  public DockerEndpoint endpoint() {
    return endpoint;
  }

  public Optional<DaemonImage> inspect(String reference) {
    try {
      InspectImageResponse r = docker.inspectImageCmd(reference).exec();
      return Optional.of(
          new DaemonImage(
              r.getId(),
              r.getSize() == null ? 0 : r.getSize(),
              r.getConfig() == null ? null : r.getConfig().getLabels(),
              r.getRepoTags(),
              r.getRootFS() == null ? null : r.getRootFS().getLayers()));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  public void tag(String imageId, String repository, String tag) {
    docker.tagImageCmd(imageId, repository, tag).withForce(true).exec();
  }

  /** {@code docker load}: the stream is a docker-format image tar. */
  public void load(InputStream tar) {
    docker.loadImageCmd(tar).exec();
  }

  /** OS type and architecture of the daemon, for Jib's platform choice. */
  public Info info() {
    return docker.infoCmd().exec();
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
