package dev.llmstack.deploy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmstack.kube.KubeContext;
import dev.llmstack.log.HttpWireLog;
import dev.llmstack.tls.PemTls.Pem;
import dev.llmstack.tls.PemTls;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.Timeout;

/**
 * Plain GETs to the API server of a kubeconfig context with static credentials (a bearer token,
 * a client certificate, a user name and password: what minikube, kind, k3d and Docker Desktop
 * write), answers read as JSON maps. Deploy's no-change check reads through it: starting fabric8's
 * client (its Jackson model, the JDK's HTTP client) is most of a deploy that finds nothing to do.
 * Any other kind of credential (exec plugins, auth providers, token files, impersonation) or
 * cluster setting (a proxy, another TLS server name) is {@link #of}'s empty answer: fabric8 does
 * those.
 */
final class PlainApiReader implements Closeable {

  private final URI server;
  private final String authorization;
  private final CloseableHttpClient http;

  private PlainApiReader(URI server, String authorization, CloseableHttpClient http) {
    this.server = server;
    this.authorization = authorization;
    this.http = http;
  }

  /**
   * A reader for the context, or empty when its credentials or cluster settings need more than
   * plain requests.
   *
   * @throws IOException when its certificates or keys cannot be read
   */
  static Optional<PlainApiReader> of(KubeContext context) throws IOException {
    HttpWireLog.quiet(); // the requests carry the context's token
    if (!context.hasStaticCredentials()) {
      return Optional.empty();
    }
    String server = context.server();
    PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofSeconds(5))
            .setSocketTimeout(Timeout.ofSeconds(30))
            .build());
    if (server.startsWith("https://")) {
      boolean insecure = Boolean.parseBoolean(KubeContext.string(context.cluster().get("insecure-skip-tls-verify")));
      connections.setTlsSocketStrategy(insecure
          ? new DefaultClientTlsStrategy(sslContext(context, true), NoopHostnameVerifier.INSTANCE)
          : new DefaultClientTlsStrategy(sslContext(context, false)));
    } else {
      // else HttpClient sets up the JVM's default TLS context (~0.1 s), which plain http never uses
      connections.setTlsSocketStrategy((socket, target, port, attachment, httpContext) -> {
        throw new SSLException("no TLS towards " + server);
      });
    }
    // no redirects, retries, cookies or authentication schemes: a GET with a header is all it sends
    CloseableHttpClient http = HttpClients.createMinimal(connections.build());
    return Optional.of(new PlainApiReader(URI.create(server.replaceAll("/+$", "")), authorization(context), http));
  }

  /** The JSON object at the path, empty for 404; any other answer but 200 is an IOException. */
  Optional<Map<String, Object>> get(String pathAndQuery) throws IOException {
    HttpGet get = new HttpGet(URI.create(server + pathAndQuery));
    get.setHeader(HttpHeaders.ACCEPT, "application/json");
    if (authorization != null) {
      get.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    return http.execute(get, response -> {
      if (response.getCode() == 404) {
        return Optional.empty();
      }
      if (response.getCode() != 200 || response.getEntity() == null) {
        throw new IOException("GET " + pathAndQuery + ": HTTP " + response.getCode());
      }
      try (InputStream body = response.getEntity().getContent()) {
        return Optional.of(JSON.std.mapFrom(body));
      }
    });
  }

  @Override
  public void close() throws IOException {
    http.close();
  }

  /** As kubectl and fabric8 make it: the JVM's trust store plus the context's CA, the client certificate as key. */
  private static SSLContext sslContext(KubeContext context, boolean trustAll) throws IOException {
    try {
      Pem certificate = pem(context, context.user(), "client-certificate");
      Pem key = pem(context, context.user(), "client-key");
      return trustAll
          ? PemTls.trustingAll(certificate, key)
          : PemTls.context(pem(context, context.cluster(), "certificate-authority"), true, certificate, key);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot set up TLS for context " + context.name() + ": " + e.getMessage(), e);
    }
  }

  /** The entry's {@code <key>-data} (base64 PEM) or {@code <key>} file; null if it has neither. */
  private static Pem pem(KubeContext context, Map<String, Object> entry, String key) {
    String data = KubeContext.string(entry.get(key + "-data"));
    if (data != null) {
      return Pem.inline("the kubeconfig's " + key + "-data of context " + context.name(), Base64.getDecoder().decode(data.trim()));
    }
    Path file = context.file(entry, key);
    return file == null ? null : Pem.file("the " + key + " file " + file + " of context " + context.name(), file);
  }

  private static String authorization(KubeContext context) {
    String token = KubeContext.string(context.user().get("token"));
    if (token != null && !token.isBlank()) {
      return "Bearer " + token;
    }
    String username = KubeContext.string(context.user().get("username"));
    String password = KubeContext.string(context.user().get("password"));
    if (username != null && password != null) {
      return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** For debug lines: where it reads from, not with what. */
  @Override
  public String toString() {
    return server.toString();
  }
}
