package dev.llmstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.kube.KubeContext;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain requests to an API server over TLS as minikube sets it up: the server's certificate signed
 * by the cluster's CA, a client certificate required. The server is a stand-in (the JDK's HTTPS
 * server with the rig's certificates), for the kube rig speaks plain HTTP only.
 */
class PlainApiReaderTest {

  @TempDir Path dir;
  private HttpsServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Path certs;

  @BeforeEach
  void startServer() throws Exception {
    String clientCerts = System.getenv("RIG_CERT_PATH");
    if (clientCerts == null) {
      throw new IllegalStateException("RIG_CERT_PATH is not set: start the rig (it/rig/rig.sh start) and eval \"$(it/rig/rig.sh env)\"");
    }
    certs = Path.of(clientCerts).getParent(); // ca.pem, server-cert.pem, server-key.pem; client/ under it
    SSLContext tls = SSLUtils.sslContext(
        SSLUtils.keyManagers(null, certs.resolve("server-cert.pem").toString(), null, certs.resolve("server-key.pem").toString(),
            "RSA", "changeit", null, null),
        SSLUtils.trustManagers(null, certs.resolve("ca.pem").toString(), false, null, null));
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
        ssl.setNeedClientAuth(true); // as an API server does for client certificates
        params.setSSLParameters(ssl);
      }
    });
    server.createContext("/", exchange -> {
      String client;
      try {
        client = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
      } catch (SSLPeerUnverifiedException e) {
        client = "none";
      }
      seen.add(exchange.getRequestURI() + " client=" + client + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"metadata\":{\"name\":\"llmstack-s\",\"annotations\":{\"a\":\"b\"}}}".getBytes(StandardCharsets.UTF_8);
      int status = exchange.getRequestURI().getPath().endsWith("/llmstack-s") ? 200
          : exchange.getRequestURI().getPath().endsWith("/forbidden") ? 403 : 404;
      exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
      if (status == 200) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A kubeconfig next to copies of the rig's client certificates, referred to by relative paths (as minikube's are). */
  private KubeContext context(String cluster, String user) throws IOException {
    Path profile = Files.createDirectories(dir.resolve("profile"));
    for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
      Files.copy(certs.resolve("client").resolve(file), profile.resolve(file));
    }
    Path kubeconfig = Files.writeString(dir.resolve("config"), """
        apiVersion: v1
        kind: Config
        current-context: minikube
        clusters:
        - name: minikube
          cluster:
            server: %s
        %s
        contexts:
        - name: minikube
          context:
            cluster: minikube
            user: minikube
            namespace: llm
        users:
        - name: minikube
          user:
        %s
        """.formatted(url(), cluster.indent(4).stripTrailing(), user.indent(4).stripTrailing()));
    return KubeContext.select(new ClusterConnector.Options(kubeconfig, null, ClusterConnector.DEFAULT_ALLOWED_CONTEXTS, Map.of()));
  }

  @Test
  @DisplayName("the cluster's CA and a client certificate, by paths relative to the kubeconfig: the server sees the client; 404 is empty")
  void clientCertificate() throws IOException {
    KubeContext context = context("certificate-authority: profile/ca.pem", """
        client-certificate: profile/cert.pem
        client-key: profile/key.pem""");
    assertThat(context.namespace()).isEqualTo("llm");

    try (PlainApiReader api = PlainApiReader.of(context).orElseThrow()) {
      Optional<Map<String, Object>> parent = api.get("/api/v1/namespaces/llm/secrets/llmstack-s");
      Optional<Map<String, Object>> missing = api.get("/api/v1/namespaces/llm/secrets/other");

      assertThat(parent).hasValueSatisfying(p -> assertThat(p.get("metadata")).isEqualTo(Map.of("name", "llmstack-s", "annotations", Map.of("a", "b"))));
      assertThat(missing).isEmpty();
    }
    assertThat(seen).hasSize(2).allMatch(l -> l.contains("client=CN=") && l.endsWith("auth=null"));
  }

  @Test
  @DisplayName("certificate data inline (base64), a bearer token; another status than 200 or 404 fails, naming the path and not the token")
  void inlineDataAndToken() throws IOException {
    String ca = base64(certs.resolve("client/ca.pem"));
    KubeContext context = context("certificate-authority-data: " + ca, """
        client-certificate-data: %s
        client-key-data: %s
        token: s3cret-token""".formatted(base64(certs.resolve("client/cert.pem")), base64(certs.resolve("client/key.pem"))));

    try (PlainApiReader api = PlainApiReader.of(context).orElseThrow()) {
      assertThat(api.get("/api/v1/namespaces/llm/secrets/llmstack-s")).isPresent();
      assertThatThrownBy(() -> api.get("/api/v1/namespaces/llm/secrets/forbidden"))
          .isInstanceOf(IOException.class)
          .hasMessage("GET /api/v1/namespaces/llm/secrets/forbidden: HTTP 403");
    }
    assertThat(seen).first().asString().endsWith("auth=Bearer s3cret-token");
  }

  @Test
  @DisplayName("credentials that look like numbers or dates are sent as written (YAML 1.1 would make 0123 the number 83)")
  void numericLookingCredentials() throws IOException {
    KubeContext context = context("certificate-authority: profile/ca.pem", """
        client-certificate: profile/cert.pem
        client-key: profile/key.pem
        token: 0123""");
    assertThat(KubeContext.string(context.user().get("token"))).isEqualTo("0123");

    try (PlainApiReader api = PlainApiReader.of(context).orElseThrow()) {
      assertThat(api.get("/api/v1/namespaces/llm/secrets/llmstack-s")).isPresent();
    }
    assertThat(seen).first().asString().endsWith("auth=Bearer 0123");
  }

  @Test
  @DisplayName("a user name like a date and a password like a number stay the text written")
  void dateAndNumberLikeBasicAuth() throws IOException {
    KubeContext context = context("", "username: 2026-01-01\npassword: 1e3");
    assertThat(KubeContext.string(context.user().get("username"))).isEqualTo("2026-01-01");
    assertThat(KubeContext.string(context.user().get("password"))).isEqualTo("1e3");
  }

  @Test
  @DisplayName("a server certificate the context does not trust fails the request (the check then steps aside)")
  void untrustedServer() throws IOException {
    KubeContext context = context("", """
        client-certificate: profile/cert.pem
        client-key: profile/key.pem""");

    try (PlainApiReader api = PlainApiReader.of(context).orElseThrow()) {
      assertThatThrownBy(() -> api.get("/api/v1/namespaces/llm/secrets/llmstack-s")).isInstanceOf(IOException.class);
    }
    assertThat(seen).isEmpty();
  }

  @Test
  @DisplayName("without a client certificate the stand-in refuses the handshake, as the API server would refuse the request")
  void noClientCertificate() throws IOException {
    KubeContext context = context("certificate-authority: profile/ca.pem", "token: t");

    try (PlainApiReader api = PlainApiReader.of(context).orElseThrow()) {
      assertThatThrownBy(() -> api.get("/api/v1/namespaces/llm/secrets/llmstack-s")).isInstanceOf(IOException.class);
    }
    assertThat(seen).isEmpty();
  }

  @Test
  @DisplayName("insecure-skip-tls-verify trusts any server certificate, as kubectl does")
  void insecure() throws IOException {
    KubeContext context = context("insecure-skip-tls-verify: true", """
        client-certificate: profile/cert.pem
        client-key: profile/key.pem""");

    try (PlainApiReader api = PlainApiReader.of(context).orElseThrow()) {
      assertThat(api.get("/api/v1/namespaces/llm/secrets/llmstack-s")).isPresent();
    }
  }

  @Test
  @DisplayName("exec plugins, auth providers, token files, impersonation, proxies, another TLS server name: left to fabric8")
  void leftToFabric8() throws IOException {
    List<String[]> others = List.of(
        new String[] {"", "exec:\n  command: gke-gcloud-auth-plugin"},
        new String[] {"", "auth-provider:\n  name: oidc"},
        new String[] {"", "tokenFile: /var/run/token"},
        new String[] {"", "token: t\nas: admin"},
        new String[] {"proxy-url: http://proxy:3128", "token: t"},
        new String[] {"tls-server-name: kubernetes", "token: t"});
    for (String[] other : others) {
      Files.deleteIfExists(dir.resolve("config"));
      deleteProfile();
      assertThat(PlainApiReader.of(context(other[0], other[1]))).as(String.join(" / ", other)).isEmpty();
    }
  }

  private void deleteProfile() throws IOException {
    Path profile = dir.resolve("profile");
    if (Files.isDirectory(profile)) {
      try (var files = Files.list(profile)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private static String base64(Path file) throws IOException {
    return java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(file));
  }
}
