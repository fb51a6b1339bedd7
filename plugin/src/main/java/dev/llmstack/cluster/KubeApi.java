package dev.llmstack.cluster;

import dev.llmstack.docker.HttpWire;
import dev.llmstack.docker.Pem;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Read-only GETs against the Kubernetes API for deploy's no-change check, over {@link HttpWire}: a
 * few milliseconds to start instead of fabric8's client and serialization (hundreds of
 * milliseconds in a fresh JVM).
 */
final class KubeApi implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private final HttpWire http;
  private final String prefix;
  private final Map<String, String> headers;

  private KubeApi(HttpWire http, String prefix, Map<String, String> headers) {
    this.http = http;
    this.prefix = prefix;
    this.headers = headers;
  }

  static KubeApi open(Kubeconfig.Target target) throws IOException, GeneralSecurityException {
    URI server = URI.create(target.server());
    boolean tls = "https".equals(server.getScheme());
    if (server.getHost() == null) {
      throw new IOException("no host in " + target.server());
    }
    int port = server.getPort() != -1 ? server.getPort() : tls ? 443 : 80;
    SSLContext context = tls ? Pem.sslContext(target.ca(), target.clientCert(), target.clientKey(), target.insecure()) : null;
    String path = server.getRawPath() == null ? "" : server.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String host = server.getHost().startsWith("[") ? server.getHost().substring(1, server.getHost().length() - 1) : server.getHost();
    HttpWire http = HttpWire.tcp(host, port, context, !target.insecure(), CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
    Map<String, String> headers = target.token() == null || target.token().isBlank()
        ? Map.of("Accept", "application/json")
        : Map.of("Accept", "application/json", "Authorization", "Bearer " + target.token().trim());
    return new KubeApi(http, path, headers);
  }

  /** The object or list at {@code path} as JSON; null when the server says 404. */
  Object get(String path) throws IOException {
    try (HttpWire.Response r = http.send("GET", prefix + path, headers, null)) {
      if (r.status() == 404) {
        return null;
      }
      if (!r.ok()) {
        throw new IOException("GET " + path + " answered " + r.status());
      }
      return r.json();
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
