package dev.llmstack.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kube.ClusterConnector.Options;
import dev.llmstack.log.BuildLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterConnectorTest {

  private static final List<String> DEFAULTS = ClusterConnector.DEFAULT_ALLOWED_CONTEXTS;

  @TempDir Path dir;

  /** A kubeconfig with contexts minikube and prod-eu, both on servers where nothing listens. */
  private Path kubeconfig(String currentContext) throws IOException {
    return Files.writeString(dir.resolve("config"), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: minikube
            cluster:
              server: http://127.0.0.1:1
          - name: prod-eu
            cluster:
              server: http://127.0.0.1:1
        users:
          - name: dev
            user:
              token: not-a-real-token
        contexts:
          - name: minikube
            context:
              cluster: minikube
              user: dev
              namespace: llm
          - name: prod-eu
            context:
              cluster: prod-eu
              user: dev
        current-context: %s
        """.formatted(currentContext));
  }

  @Test
  @DisplayName("minikube's kubeconfig (extensions, certificate paths relative to it) gives the client fabric8's own reader gives")
  void sameClientConfigAsFabric8sReader() throws IOException {
    Path file = Files.writeString(dir.resolve("config"), """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority: certs/ca.crt
            extensions:
            - extension:
                last-update: Wed, 25 Nov 2026 10:00:00 UTC
                provider: minikube.sigs.k8s.io
                version: v1.34.0
              name: cluster_info
            server: https://192.168.49.2:8443
          name: minikube
        - cluster:
            certificate-authority-data: Y2EtZGF0YQ==
            server: https://127.0.0.1:6443
          name: kind-dev
        contexts:
        - context:
            cluster: minikube
            extensions:
            - extension:
                provider: minikube.sigs.k8s.io
              name: context_info
            namespace: llm
            user: minikube
          name: minikube
        - context:
            cluster: kind-dev
            user: kind-dev
          name: kind-dev
        current-context: minikube
        preferences: {}
        users:
        - name: minikube
          user:
            client-certificate: profiles/minikube/client.crt
            client-key: /abs/client.key
        - name: kind-dev
          user:
            client-certificate-data: Y2VydA==
            client-key-data: a2V5
            token: a-token
        """);
    for (String context : List.of("minikube", "kind-dev")) {
      io.fabric8.kubernetes.client.Config ours = ClusterConnector.clientConfig(selected(file, context));
      io.fabric8.kubernetes.client.Config fabric8s = io.fabric8.kubernetes.client.Config.fromKubeconfig(context, file.toFile());

      assertThat(ours.getMasterUrl()).isEqualTo(fabric8s.getMasterUrl());
      // fabric8 leaves a context without a namespace at null, which its requests read as "default"
      assertThat(ours.getNamespace()).isEqualTo(fabric8s.getNamespace() == null ? "default" : fabric8s.getNamespace());
      assertThat(ours.getCaCertFile()).isEqualTo(fabric8s.getCaCertFile());
      assertThat(ours.getCaCertData()).isEqualTo(fabric8s.getCaCertData());
      assertThat(ours.getClientCertFile()).isEqualTo(fabric8s.getClientCertFile());
      assertThat(ours.getClientCertData()).isEqualTo(fabric8s.getClientCertData());
      assertThat(ours.getClientKeyFile()).isEqualTo(fabric8s.getClientKeyFile());
      assertThat(ours.getClientKeyData()).isEqualTo(fabric8s.getClientKeyData());
      // the token a request carries: fabric8 sends oauthToken, else autoOAuthToken (its reader fills the latter)
      assertThat(ours.getOauthToken() != null ? ours.getOauthToken() : ours.getAutoOAuthToken())
          .isEqualTo(fabric8s.getOauthToken() != null ? fabric8s.getOauthToken() : fabric8s.getAutoOAuthToken());
      assertThat(ours.getCurrentContext().getName()).isEqualTo(context);
    }
    io.fabric8.kubernetes.client.Config minikube = ClusterConnector.clientConfig(selected(file, "minikube"));
    assertThat(minikube.getCaCertFile()).isEqualTo(dir.resolve("certs/ca.crt").toString());
    assertThat(minikube.getClientCertFile()).isEqualTo(dir.resolve("profiles/minikube/client.crt").toString());
  }

  private static KubeContext selected(Path file, String context) {
    return KubeContext.select(new Options(file, context, List.of("*"), Map.of()));
  }

  @Test
  @DisplayName("a kubeconfig that is not YAML is an error naming the file")
  void unreadableKubeconfig() throws IOException {
    Path file = Files.writeString(dir.resolve("config"), "clusters: [ {name: minikube\n");

    assertThatThrownBy(() -> ClusterConnector.connect(options(file, null, ClusterConnector.DEFAULT_ALLOWED_CONTEXTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("The kubeconfig " + file + " cannot be read: ")
        .hasMessageContaining("minikube update-context");
  }

  @Test
  @DisplayName("a broken kubeconfig's error names the line but never quotes it: it may hold a credential")
  void brokenLineNotQuoted() throws IOException {
    Path file = Files.writeString(dir.resolve("config"), """
        users:
        - name: dev
          user:
            token: s3cret-token: [
        """);

    assertThatThrownBy(() -> ClusterConnector.connect(options(file, null, ClusterConnector.DEFAULT_ALLOWED_CONTEXTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("The kubeconfig " + file + " cannot be read: ")
        .hasMessageContaining("line 4")
        .hasMessageNotContaining("s3cret");
  }

  private static Options options(Path kubeconfig, String context, List<String> allowed) {
    return new Options(kubeconfig, context, allowed, Map.of());
  }

  @ParameterizedTest(name = "{0} in [{1}] -> {2}")
  @CsvSource({
    "minikube, minikube, true",
    "minikube, minikube2, false",
    "minikube2, minikube, false",
    "kind-dev, kind-*, true",
    "kind-, kind-*, true",
    "kind, kind-*, false",
    "mykind-dev, kind-*, false",
    "k3d-llm, k3d-*, true",
    "prod-eu, *, true",
    "prod.eu, prod-eu, false",
    "a.b, a.b, true",
    "axb, a.b, false",
    "prod-eu-1, *-eu-*, true",
  })
  @DisplayName("isAllowed matches exact names and '*' globs, with no other regex meaning")
  void isAllowed(String context, String pattern, boolean allowed) {
    assertThat(ClusterConnector.isAllowed(context, List.of(pattern))).isEqualTo(allowed);
  }

  @Test
  @DisplayName("isAllowed with the default list: local clusters yes, anything else no")
  void defaults() {
    assertThat(List.of("minikube", "docker-desktop", "kind-kind", "k3d-dev", "rancher-desktop", "orbstack"))
        .allSatisfy(c -> assertThat(ClusterConnector.isAllowed(c, DEFAULTS)).as(c).isTrue());
    assertThat(List.of("prod-eu", "gke_project_europe-west1_prod", "arn:aws:eks:eu-west-1:1:cluster/prod", "minikube-prod"))
        .allSatisfy(c -> assertThat(ClusterConnector.isAllowed(c, DEFAULTS)).as(c).isFalse());
    assertThat(ClusterConnector.isAllowed("minikube", List.of())).isFalse();
  }

  @Test
  @DisplayName("a missing KUBECONFIG file is an error mentioning KUBECONFIG")
  void missingKubeconfigFromEnvironment() {
    Path missing = dir.resolve("nope/config");
    Options o = new Options(null, null, DEFAULTS, Map.of("KUBECONFIG", missing.toString()));

    assertThatThrownBy(() -> ClusterConnector.connect(o, BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No kubeconfig at " + missing)
        .hasMessageContaining("KUBECONFIG")
        .hasMessageContaining("minikube start");
  }

  @Test
  @DisplayName("a missing explicit kubeconfig is an error too")
  void missingExplicitKubeconfig() {
    Path missing = dir.resolve("kubeconfig");

    assertThatThrownBy(() -> ClusterConnector.connect(options(missing, null, DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No kubeconfig at " + missing)
        .hasMessageContaining("<kubeconfig>");
  }

  @Test
  @DisplayName("KUBECONFIG with several files uses the first")
  void kubeconfigListUsesFirst() throws IOException {
    Path first = kubeconfig("minikube");
    Options o = new Options(null, null, DEFAULTS, Map.of("KUBECONFIG", first + java.io.File.pathSeparator + dir.resolve("other")));

    assertThat(ClusterConnector.kubeconfigFile(o)).isEqualTo(first);
  }

  @Test
  @DisplayName("a current context that is not allowed is refused before connecting, with the fix")
  void contextNotAllowed() throws IOException {
    // Given a kubeconfig whose current context is prod-eu
    Path config = kubeconfig("prod-eu");

    // Then connecting with the default allowed list is refused, saying how to switch
    assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Kube context 'prod-eu' is not in allowedContexts")
        .hasMessageContaining("kubectl config use-context minikube")
        .hasMessageContaining("<allowedContexts>");
  }

  @Test
  @DisplayName("an explicit context that is not allowed is refused too, even if the current one is fine")
  void explicitContextNotAllowed() throws IOException {
    Path config = kubeconfig("minikube");

    assertThatThrownBy(() -> ClusterConnector.connect(options(config, "prod-eu", DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Kube context 'prod-eu' is not in allowedContexts");
  }

  @Test
  @DisplayName("an unknown explicit context is an error listing the known ones")
  void unknownContext() throws IOException {
    Path config = kubeconfig("minikube");

    assertThatThrownBy(() -> ClusterConnector.connect(options(config, "kind-dev", DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Kube context 'kind-dev' is not in " + config)
        .hasMessageContaining("[minikube, prod-eu]")
        .hasMessageContaining("-Dllmstack.context");
  }

  @Test
  @DisplayName("a kubeconfig without current context is an error asking to select one")
  void noCurrentContext() throws IOException {
    Path config = kubeconfig("\"\"");

    assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("has no current context")
        .hasMessageContaining("kubectl config use-context minikube");
  }

  @Test
  @Timeout(120)
  @DisplayName("an allowed context whose server does not answer is a 'not reachable' error naming context and server")
  void notReachable() throws IOException {
    // Given the minikube context pointing at http://127.0.0.1:1, where nothing listens
    Path config = kubeconfig("minikube");

    // Then connecting fails with the context, the server and how to start it
    assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("The API server of context 'minikube'")
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageContaining("is not reachable")
        .hasMessageContaining("minikube start");
  }

  @Test
  @DisplayName("an allowed context whose server answers connects, with the context's namespace and the server URL")
  void connects() throws IOException {
    // Given a fake API server that knows namespace llm, and the minikube context (namespace llm) pointing at it
    List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"llm\"}}".getBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      Path config = Files.writeString(kubeconfig("minikube"), Files.readString(dir.resolve("config")).replace("http://127.0.0.1:1", url));

      // When connecting
      ClusterConnector.Connection connection = ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent());

      // Then the connection names the context, its namespace and the server, having checked the credentials (discovery) with the token
      try (var client = connection.client()) {
        assertThat(connection.context()).isEqualTo("minikube");
        assertThat(connection.namespace()).isEqualTo("llm");
        assertThat(connection.server()).startsWith(url);
        assertThat(requests).contains("GET /api Bearer not-a-real-token");
      }
    } finally {
      server.stop(0);
    }
  }

  /** A fake API server answering every request with the status and a Kubernetes Status body. */
  private static com.sun.net.httpserver.HttpServer refusing(int code, String reason, String message) throws IOException {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message
          + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}").getBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  @Test
  @DisplayName("credentials the API server refuses (401) are named as such, with how to refresh them; not 'not reachable'")
  void unauthorized() throws IOException {
    com.sun.net.httpserver.HttpServer server = refusing(401, "Unauthorized", "Unauthorized");
    try {
      Path config = Files.writeString(kubeconfig("minikube"),
          Files.readString(dir.resolve("config")).replace("http://127.0.0.1:1", "http://127.0.0.1:" + server.getAddress().getPort()));

      assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("The API server of context 'minikube'")
          .hasMessageContaining("refused its credentials (401 Unauthorized")
          .hasMessageContaining("minikube update-context")
          .hasMessageNotContaining("not reachable")
          .hasMessageNotContaining("not-a-real-token");
    } finally {
      server.stop(0);
    }
  }

  @Test
  @DisplayName("a user the API server does not allow (403) is named as such, in the server's words")
  void forbidden() throws IOException {
    com.sun.net.httpserver.HttpServer server = refusing(403, "Forbidden", "forbidden: User \\\"system:anonymous\\\" cannot get path \\\"/api\\\"");
    try {
      Path config = Files.writeString(kubeconfig("minikube"),
          Files.readString(dir.resolve("config")).replace("http://127.0.0.1:1", "http://127.0.0.1:" + server.getAddress().getPort()));

      assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("does not allow what deploy needs")
          .hasMessageContaining("system:anonymous")
          .hasMessageContaining("403 Forbidden")
          .hasMessageNotContaining("not reachable");
    } finally {
      server.stop(0);
    }
  }

  @ParameterizedTest
  @CsvSource({"cluster, minikube, gone-cluster", "user, dev, gone-user"})
  @DisplayName("a context naming a cluster or user the kubeconfig lacks says so (not an unreachable default URL)")
  void missingClusterOrUser(String field, String existing, String missing) throws IOException {
    Path config = Files.writeString(kubeconfig("minikube"),
        Files.readString(dir.resolve("config")).replace(field + ": " + existing + "\n      user", field + ": " + missing + "\n      user")
            .replace("      " + field + ": " + existing + "\n      namespace", "      " + field + ": " + missing + "\n      namespace"));

    assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Kube context 'minikube'")
        .hasMessageContaining("names " + field + " '" + missing + "', which that kubeconfig does not define")
        .hasMessageContaining("minikube update-context")
        .hasMessageNotContaining("kubernetes.default.svc");
  }

  @Test
  @DisplayName("rootMessage digs to the innermost cause")
  void rootMessage() {
    Exception e = new RuntimeException("outer", new IllegalStateException("middle", new java.net.ConnectException("Connection refused")));

    assertThat(dev.llmstack.error.Causes.rootMessage(e)).isEqualTo("Connection refused");
    assertThat(dev.llmstack.error.Causes.rootMessage(new RuntimeException(new IllegalStateException()))).isEqualTo("IllegalStateException");
  }

  @Test
  @DisplayName("rootMessage says 'connection refused' for the JDK client's message-less ConnectException chain")
  void rootMessageOfARefusedConnection() {
    // As fabric8 over the JDK HTTP client reports http://127.0.0.1:1: no message below fabric8's own
    Exception e = new RuntimeException("Operation: [get] for kind: [Namespace] failed.",
        new java.io.IOException((String) null, new java.net.ConnectException() {{ initCause(new java.nio.channels.ClosedChannelException()); }}));

    assertThat(dev.llmstack.error.Causes.rootMessage(e)).isEqualTo("connection refused");
  }

  @Test
  @Timeout(120)
  @DisplayName("a server where nothing listens is reported as 'connection refused', not as ClosedChannelException")
  void notReachableSaysConnectionRefused() throws IOException {
    Path config = kubeconfig("minikube");

    assertThatThrownBy(() -> ClusterConnector.connect(options(config, null, DEFAULTS), BuildLog.silent()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not reachable: connection refused.")
        .hasMessageNotContaining("ClosedChannelException");
  }
}
