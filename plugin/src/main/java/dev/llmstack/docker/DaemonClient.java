package dev.llmstack.docker;

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
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The few Docker Engine API calls the plugin makes (unix socket, or TCP with or without TLS), over
 * {@link HttpWire}: asking whether an image is there costs a few milliseconds, not the start-up of a
 * general-purpose client.
 */
public final class DaemonClient implements AutoCloseable {

  /** Where the daemon runs, for Jib's choice among a multi-platform base's images. */
  public record Info(String osType, String architecture) {}

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 30 * 60_000;

  private final DockerEndpoint endpoint;
  private final HttpWire http;

  private DaemonClient(DockerEndpoint endpoint, HttpWire http) {
    this.endpoint = endpoint;
    this.http = http;
  }

  /** Connects and pings; a daemon that does not answer is a configuration error with a fix. */
  public static DaemonClient connect(DockerEndpoint endpoint) {
    HttpWire http;
    try {
      http = wire(endpoint);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw unreachable(endpoint, e);
    }
    DaemonClient client = new DaemonClient(endpoint, http);
    try (HttpWire.Response ping = http.get("/_ping")) {
      if (!ping.ok()) {
        throw new IOException("GET /_ping answered " + ping.status());
      }
      ping.bytes();
    } catch (IOException | RuntimeException e) {
      client.close();
      throw unreachable(endpoint, e);
    }
    return client;
  }

  static HttpWire wire(DockerEndpoint endpoint) throws IOException, GeneralSecurityException {
    String host = endpoint.host();
    if (host.startsWith("unix://")) {
      return HttpWire.unix(Path.of(host.substring("unix://".length())));
    }
    if (host.startsWith("tcp://")) {
      URI uri = URI.create("tcp://" + host.substring("tcp://".length()));
      if (uri.getHost() == null) {
        throw new IOException("'" + host + "' names no host");
      }
      int port = uri.getPort() != -1 ? uri.getPort() : endpoint.tlsVerify() ? 2376 : 2375;
      SSLContext tls = endpoint.tlsVerify() ? tlsContext(endpoint) : null;
      return HttpWire.tcp(uri.getHost(), port, tls, true, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
    }
    throw new IOException("only unix:// and tcp:// Docker hosts are supported, not '" + host + "'");
  }

  /** ca.pem, cert.pem and key.pem in the cert path (default ~/.docker), as the docker CLI reads them. */
  private static SSLContext tlsContext(DockerEndpoint endpoint) throws IOException, GeneralSecurityException {
    Path dir = endpoint.certPath() != null ? endpoint.certPath() : Path.of(System.getProperty("user.home"), ".docker");
    Path ca = dir.resolve("ca.pem");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (!Files.isRegularFile(ca)) {
      throw new IOException("TLS is on but there is no " + ca);
    }
    boolean clientCert = Files.isRegularFile(cert) && Files.isRegularFile(key);
    return Pem.sslContext(
        Files.readAllBytes(ca),
        clientCert ? Files.readAllBytes(cert) : null,
        clientCert ? Files.readAllBytes(key) : null,
        false);
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
    try (HttpWire.Response r = http.get("/images/" + path(reference) + "/json")) {
      if (r.status() == 404) {
        return Optional.empty();
      }
      Object image = checked(r).json();
      Long size = Json.number(image, "Size");
      return Optional.of(
          new DaemonImage(
              Json.string(image, "Id"),
              size == null ? 0 : size,
              Json.strings(Json.object(image, "Config"), "Labels"),
              strings(Json.array(image, "RepoTags")),
              strings(Json.array(Json.object(image, "RootFS"), "Layers"))));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot inspect " + reference + " in the Docker daemon at " + endpoint, e);
    }
  }

  /** {@code docker tag}. */
  public void tag(String imageId, String repository, String tag) {
    String target = "/images/" + path(imageId) + "/tag?repo=" + query(repository) + "&tag=" + query(tag) + "&force=1";
    try (HttpWire.Response r = http.send("POST", target, Map.of(), null)) {
      checked(r).bytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot tag " + imageId + " as " + repository + ":" + tag, e);
    }
  }

  /**
   * {@code docker load}: the stream is a docker-format image tar. An error the daemon reports in its
   * progress stream is thrown as a {@link DaemonException}.
   */
  public void load(InputStream tar) {
    try (HttpWire.Response r =
        http.stream("POST", "/images/load?quiet=1", Map.of("Content-Type", "application/x-tar"), tar)) {
      List<String> errors = new ArrayList<>();
      Json.parseStream(checked(r).body(), message -> {
        String error = Json.string(message, "error");
        if (error == null) {
          error = Json.string(Json.object(message, "errorDetail"), "message");
        }
        if (error != null) {
          errors.add(error);
        }
      });
      if (!errors.isEmpty()) {
        throw new DaemonException(200, String.join("; ", errors));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Loading an image into the Docker daemon at " + endpoint + " failed", e);
    }
  }

  /** OS type and architecture of the daemon, for Jib's platform choice. */
  public Info info() {
    try (HttpWire.Response r = http.get("/info")) {
      Object info = checked(r).json();
      return new Info(Json.string(info, "OSType"), Json.string(info, "Architecture"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot ask the Docker daemon at " + endpoint + " about itself", e);
    }
  }

  /** The response if it is a success; else its message as a {@link DaemonException}. */
  private static HttpWire.Response checked(HttpWire.Response r) throws IOException {
    if (r.ok()) {
      return r;
    }
    String text = r.text().trim();
    String message = text;
    try {
      String m = Json.string(Json.parse(text), "message");
      message = m != null ? m : text;
    } catch (Json.SyntaxException e) {
      // not JSON: the text itself
    }
    throw new DaemonException(r.status(), "Status " + r.status() + ": " + message);
  }

  private static List<String> strings(List<Object> values) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /** An image name or ID in a URL path: the daemon's router takes slashes and colons as they are. */
  static String path(String reference) {
    StringBuilder out = new StringBuilder();
    for (byte b : reference.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/:@".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    http.close();
  }
}
