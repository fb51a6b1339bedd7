package dev.llmstack.docker;

import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.ValueIterator;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.NamedPipeSocket;
import com.github.dockerjava.transport.UnixSocket;
import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.log.HttpWireLog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.EntityTemplate;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The few Docker Engine API calls the plugin makes (unix socket or TCP, with or without TLS).
 *
 * <p>Plain requests over Apache HttpClient 5, answers read with jackson-jr: docker-java's client
 * would bring Jackson databind and its models, ~0.1 s of class loading on every build, for five
 * calls. Not docker-java's transport either: it sends a request body in 4 kB chunks, which for a
 * load of a gigabyte of base layers cost the daemon and the JVM ~1 CPU-second more than 256 kB
 * chunks (measured with the benchmark's five images: 3.4–3.8 s against 2.7–2.9 s).
 */
public final class DaemonClient implements AutoCloseable {

  /** Bytes per chunk of a load's body. */
  private static final int LOAD_CHUNK = 256 * 1024;

  private final DockerEndpoint endpoint;
  private final HttpHost target;
  private final CloseableHttpClient http;

  private DaemonClient(DockerEndpoint endpoint, HttpHost target, CloseableHttpClient http) {
    this.endpoint = endpoint;
    this.target = target;
    this.http = http;
  }

  /**
   * What {@code /info} says: the daemon's ID (which daemon answers at an address) and what Jib
   * needs to pick an image from a multi-platform base.
   */
  public record Info(String id, String os, String architecture) {}

  private volatile Info info;

  /**
   * How long the first ping may take. A stuck daemon would otherwise hang the build: a unix socket
   * has no read timeout (it ignores SO_TIMEOUT), and the socket accepts while the daemon hangs.
   */
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Connects and pings; a daemon that does not answer is a configuration error with a fix. */
  public static DaemonClient connect(DockerEndpoint endpoint) {
    return connect(endpoint, PING_TIMEOUT);
  }

  static DaemonClient connect(DockerEndpoint endpoint, Duration pingTimeout) {
    return connect(endpoint, CONNECT_TIMEOUT, pingTimeout);
  }

  /** With shorter limits, for an address that may have gone (a remembered one: minikube restarted). */
  public static DaemonClient connect(DockerEndpoint endpoint, Duration connectTimeout, Duration pingTimeout) {
    HttpWireLog.quiet();
    DaemonClient client;
    try {
      URI host = URI.create(endpoint.host());
      SSLContext tls = endpoint.tlsVerify() ? DaemonTls.context(certPath(endpoint)) : null;
      client = new DaemonClient(endpoint, target(host, tls != null), httpClient(host, tls, connectTimeout));
    } catch (RuntimeException e) {
      throw unreachable(endpoint, e);
    }
    FutureTask<Void> ping = new FutureTask<>(() -> {
      try (ClassicHttpResponse pong = client.send(new HttpGet("/_ping"))) {
        checked(pong).close();
      }
      return null;
    });
    Thread pinging = new Thread(ping, "llmstack-docker-ping");
    pinging.setDaemon(true);
    pinging.start();
    try {
      ping.get(pingTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      client.close();
      throw unreachable(endpoint, e.getCause() instanceof Exception cause ? cause : e);
    } catch (TimeoutException e) {
      client.close(); // ends the waiting read
      throw unreachable(endpoint, new IOException(
          "it took the connection but did not answer a ping within " + pingTimeout.toSeconds() + " s (stuck? restart it)"));
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
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

  /** Where requests go: the daemon's address, or for a socket or pipe a placeholder name (it is not looked up). */
  private static HttpHost target(URI host, boolean tls) {
    return switch (host.getScheme()) {
      case "unix", "npipe" -> new HttpHost("http", "docker.socket", 80);
      case "tcp" -> new HttpHost(tls ? "https" : "http", host.getHost(), host.getPort() < 0 ? (tls ? 2376 : 2375) : host.getPort());
      default -> throw new IllegalArgumentException("its scheme '" + host.getScheme() + "' is none of unix, npipe, tcp");
    };
  }

  /**
   * A unix socket (or, on Windows, a named pipe, connected as docker-java connects it) reaches its
   * path whatever the host; TLS only with certificates (there is no TLS context otherwise, not even
   * the JVM's default one: building it costs ~0.1 s).
   */
  private static CloseableHttpClient httpClient(URI host, SSLContext tls, Duration connectTimeout) {
    DetachedSocketFactory sockets = switch (host.getScheme()) {
      case "unix" -> proxy -> UnixSocket.get(host.getPath());
      case "npipe" -> proxy -> new NamedPipeSocket(host.getPath());
      default -> proxy -> new Socket();
    };
    DnsResolver names = "tcp".equals(host.getScheme()) ? SystemDefaultDnsResolver.INSTANCE : LOOPBACK_NAME;
    TlsSocketStrategy noTls = (socket, name, port, attachment, context) -> {
      throw new SSLException("TLS to " + name + " without <dockerCertPath> or DOCKER_TLS_VERIFY");
    };
    PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(
        new DefaultHttpClientConnectionOperator(sockets, null, names,
            RegistryBuilder.<TlsSocketStrategy>create().register("https", tls == null ? noTls : new DefaultClientTlsStrategy(tls)).build()),
        null, null, null, null);
    // A unix socket or pipe ignores SO_TIMEOUT: HttpClient's check of a pooled connection idle for
    // over 2 s (a 1 ms read) would wait until the daemon writes, i.e. forever. There a connection is
    // used once (a new one costs ~0.1 ms); TCP connections are pooled and checked.
    boolean local = !"tcp".equals(host.getScheme());
    connections.setDefaultConnectionConfig(ConnectionConfig.custom()
        .setConnectTimeout(Timeout.of(connectTimeout))
        .setSocketTimeout(Timeout.ofMinutes(30)) // a load of gigabytes answers when it is done
        .setTimeToLive(local ? TimeValue.ZERO_MILLISECONDS : null)
        .build());
    connections.setMaxTotal(64);
    connections.setDefaultMaxPerRoute(64); // the stack's images load at the same time
    // no redirects, retries, cookies, authentication or compression: the Engine API needs none of them
    return HttpClients.createMinimal(connections);
  }

  /** Any name is the loopback address: a unix socket or named pipe ignores it. */
  private static final DnsResolver LOOPBACK_NAME = new DnsResolver() {
    @Override
    public InetAddress[] resolve(String host) {
      return new InetAddress[] {InetAddress.getLoopbackAddress()};
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  };

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
    try (ClassicHttpResponse response = send(new HttpGet("/images/" + reference + "/json"))) {
      if (response.getCode() == 404) {
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
    try (ClassicHttpResponse response = send(new HttpPost("/images/" + imageId + "/tag" + query))) {
      checked(response).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot tag " + imageId, e);
    }
  }

  /** Writes a docker-load tar. */
  @FunctionalInterface
  public interface TarWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * {@code docker load} of a docker-format image tar the caller writes into the request as it goes
   * (no pipe in between), sent in chunks of 256 kB (see the class comment). The daemon reports a
   * failure that happens after it started answering inside its progress stream, not in the status.
   */
  public void load(TarWriter tar) {
    HttpPost request = new HttpPost("/images/load?quiet=1");
    request.setEntity(new EntityTemplate(-1, ContentType.create("application/x-tar"), null, out -> {
      BufferedOutputStream chunks = new BufferedOutputStream(out, LOAD_CHUNK);
      tar.writeTo(chunks);
      chunks.flush();
    }));
    try (ClassicHttpResponse response = send(request);
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

  /** The daemon's ID, OS type and architecture; asked once per client. */
  public Info info() {
    if (info == null) {
      try (ClassicHttpResponse response = send(new HttpGet("/info"))) {
        Map<String, Object> answer = JSON.std.mapFrom(checked(response));
        info = new Info((String) answer.get("ID"), (String) answer.get("OSType"), (String) answer.get("Architecture"));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the Docker daemon's answer to /info", e);
      }
    }
    return info;
  }

  private ClassicHttpResponse send(HttpUriRequestBase request) {
    try {
      return http.executeOpen(target, request, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body of a successful answer; an error answer is thrown as docker-java throws it. */
  private static InputStream checked(ClassicHttpResponse response) throws IOException {
    int status = response.getCode();
    InputStream body = response.getEntity() == null ? InputStream.nullInputStream() : response.getEntity().getContent();
    if (status < 400) {
      return body;
    }
    String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
    String message = text;
    try {
      Object parsed = JSON.std.mapFrom(text).get("message");
      message = parsed == null ? text : parsed.toString();
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
