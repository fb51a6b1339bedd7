package dev.llmstack.docker;

import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.ValueIterator;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.SSLConfig;
import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few Docker Engine API calls the plugin makes (unix socket or TCP, with or without TLS).
 *
 * <p>Plain requests over docker-java's transport (HttpClient 5), answers read with jackson-jr:
 * docker-java's client would bring Jackson databind and its models, ~0.1 s of class loading on
 * every build, for five calls.
 */
public final class DaemonClient implements AutoCloseable {

  private final DockerEndpoint endpoint;
  private final DockerHttpClient http;

  private DaemonClient(DockerEndpoint endpoint, DockerHttpClient http) {
    this.endpoint = endpoint;
    this.http = http;
  }

  /** What Jib needs to pick an image from a multi-platform base. */
  public record Platform(String os, String architecture) {}

  /** Connects and pings; a daemon that does not answer is a configuration error with a fix. */
  public static DaemonClient connect(DockerEndpoint endpoint) {
    DaemonClient client;
    try {
      URI host = URI.create(endpoint.host());
      Path certPath = endpoint.tlsVerify() ? certPath(endpoint) : null;
      ApacheDockerHttpClient http =
          new ApacheDockerHttpClient.Builder()
              .dockerHost(host)
              .sslConfig(sslConfig(host, certPath))
              .connectionTimeout(Duration.ofSeconds(5))
              .responseTimeout(Duration.ofMinutes(30))
              .build();
      client = new DaemonClient(endpoint, http);
    } catch (RuntimeException e) {
      throw unreachable(endpoint, e);
    }
    try (DockerHttpClient.Response pong = client.send(Request.Method.GET, "/_ping")) {
      checked(pong).close();
    } catch (RuntimeException | IOException e) {
      client.close();
      throw unreachable(endpoint, e);
    }
    return client;
  }

  private static Path certPath(DockerEndpoint endpoint) {
    Path certs =
        endpoint.certPath() != null ? endpoint.certPath() : Path.of(System.getProperty("user.home"), ".docker");
    if (!Files.isDirectory(certs)) {
      throw new IllegalArgumentException("its TLS certificate directory " + certs + " does not exist");
    }
    return certs;
  }

  /**
   * TLS only with certificates: the transport speaks https to a TCP daemon whenever it has a TLS
   * context. A unix socket gets {@link DeferredTls}, so that the transport does not build the
   * JVM's default context (~0.1 s) it never uses.
   */
  private static SSLConfig sslConfig(URI host, Path certPath) {
    if (certPath != null) {
      return new LocalDirectorySSLConfig(certPath.toString());
    }
    return "tcp".equals(host.getScheme()) ? null : DeferredTls.systemDefault();
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

  /** {@code docker image inspect}; empty when the daemon has no such image. */
  public Optional<DaemonImage> inspect(String reference) {
    try (DockerHttpClient.Response response = send(Request.Method.GET, "/images/" + reference + "/json")) {
      if (response.getStatusCode() == 404) {
        return Optional.empty();
      }
      Map<String, Object> image = JSON.std.mapFrom(checked(response));
      Map<?, ?> config = (Map<?, ?>) image.get("Config");
      Map<?, ?> rootFs = (Map<?, ?>) image.get("RootFS");
      Number size = (Number) image.get("Size");
      return Optional.of(
          new DaemonImage(
              (String) image.get("Id"),
              size == null ? 0 : size.longValue(),
              config == null ? null : strings(config.get("Labels")),
              strings(image.get("RepoTags")),
              rootFs == null ? null : strings(rootFs.get("Layers"))));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Docker daemon's answer about " + reference, e);
    }
  }

  /** {@code docker tag}: adds repository:tag to the image (moving it from any other image). */
  public void tag(String imageId, String repository, String tag) {
    String query = "?repo=" + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "&tag=" + tag;
    try (DockerHttpClient.Response response = send(Request.Method.POST, "/images/" + imageId + "/tag" + query)) {
      checked(response).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot tag " + imageId, e);
    }
  }

  /**
   * {@code docker load}: the stream is a docker-format image tar. The daemon reports a failure
   * that happens after it started answering inside its progress stream, not in the status.
   */
  public void load(InputStream tar) {
    Request request =
        Request.builder()
            .method(Request.Method.POST)
            .path("/images/load?quiet=1")
            .putHeader("Content-Type", "application/x-tar")
            .body(tar)
            .build();
    try (DockerHttpClient.Response response = http.execute(request);
        ValueIterator<Object> progress = JSON.std.anySequenceFrom(checked(response))) {
      while (progress.hasNext()) {
        if (progress.next() instanceof Map<?, ?> message && message.get("error") != null) {
          throw new DockerException(message.get("error").toString().trim(), 500);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Docker daemon's answer to a load", e);
    }
  }

  /** OS type and architecture of the daemon, for Jib's platform choice. */
  public Platform info() {
    try (DockerHttpClient.Response response = send(Request.Method.GET, "/info")) {
      Map<String, Object> info = JSON.std.mapFrom(checked(response));
      return new Platform((String) info.get("OSType"), (String) info.get("Architecture"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Docker daemon's answer to /info", e);
    }
  }

  private DockerHttpClient.Response send(Request.Method method, String path) {
    return http.execute(Request.builder().method(method).path(path).build());
  }

  /** The body of a successful answer; an error answer is thrown as docker-java throws it. */
  private static InputStream checked(DockerHttpClient.Response response) throws IOException {
    int status = response.getStatusCode();
    if (status < 400) {
      return response.getBody();
    }
    String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
    String message = body;
    try {
      Object parsed = JSON.std.mapFrom(body).get("message");
      message = parsed == null ? body : parsed.toString();
    } catch (IOException notJson) {
      // the body as it is
    }
    throw new DockerException(message.trim(), status); // its message reads "Status 500: ..."
  }

  @SuppressWarnings("unchecked")
  private static <T> T strings(Object json) {
    return (T) json; // JSON objects and arrays of strings, as the Engine API documents them
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
