package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.exception.DockerException;
import com.sun.net.httpserver.HttpServer;
import dev.llmstack.error.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Engine API calls against the rig's real dockerd (unix socket and TCP with TLS), and against a
 * plain-HTTP stand-in for what the rig has no daemon for (TCP without TLS, error answers).
 */
class DaemonClientTest {

  private static final String REPOSITORY = "llmstack-test/daemon-client";

  @Test
  void loadInspectAndTagOnTheRigsDaemon() throws Exception {
    String host = rig("RIG_DOCKER_HOST");
    byte[] layer = tar("hello.txt", "hello from the daemon client test\n");
    String diffId = "sha256:" + sha256(layer);

    try (DaemonClient daemon = DaemonClient.connect(new DockerEndpoint(host, false, null, "the rig"))) {
      String config = imageConfig(diffId);
      daemon.load(new ByteArrayInputStream(imageTar(layer, config, REPOSITORY + ":probe"))::transferTo);

      DaemonImage probe = daemon.inspect(REPOSITORY + ":probe").orElseThrow();
      assertThat(probe.id()).isEqualTo("sha256:" + sha256(config.getBytes(StandardCharsets.UTF_8)));
      assertThat(probe.labels()).containsEntry("dev.llmstack.test", "daemon-client");
      assertThat(probe.layers()).containsExactly(diffId);
      assertThat(probe.size()).isPositive();

      daemon.tag(probe.id(), REPOSITORY, "tagged");
      assertThat(daemon.inspect(REPOSITORY + ":tagged").orElseThrow().repoTags())
          .contains(REPOSITORY + ":probe", REPOSITORY + ":tagged");
      assertThat(daemon.inspect(REPOSITORY + ":never-built")).isEmpty();
      assertThat(daemon.info().os()).isEqualTo("linux");
    }
  }

  @Test
  @Timeout(20)
  @DisplayName("a request after the connection idled for over 2 s answers (a unix socket ignores SO_TIMEOUT: HttpClient's stale check of a pooled one waited forever)")
  void requestAfterIdle() throws Exception {
    try (DaemonClient daemon = DaemonClient.connect(new DockerEndpoint(rig("RIG_DOCKER_HOST"), false, null, "the rig"))) {
      assertThat(daemon.info().os()).isEqualTo("linux");
      Thread.sleep(2_500); // the idle time is what is tested: HttpClient checks a connection idle for over 2 s
      assertThat(daemon.info().os()).isEqualTo("linux");
    }
  }

  @Test
  void aTarTheDaemonRefusesFailsTheLoadWithTheDaemonsReason() throws Exception {
    String host = rig("RIG_DOCKER_HOST");
    byte[] layer = tar("hello.txt", "a layer the manifest does not name\n");
    String config = imageConfig("sha256:" + sha256(tar("other.txt", "another layer\n")));

    try (DaemonClient daemon = DaemonClient.connect(new DockerEndpoint(host, false, null, "the rig"))) {
      assertThatThrownBy(() -> daemon.load(new ByteArrayInputStream(imageTar(layer, config, REPOSITORY + ":refused"))::transferTo))
          .isInstanceOf(DockerException.class)
          .hasMessageStartingWith("Status 500: invalid diffID for layer 0");
      assertThat(daemon.inspect(REPOSITORY + ":refused")).isEmpty();
    }
  }

  @Test
  void tlsWithTheRigsClientCertificate() {
    String host = rig("RIG_TLS_DOCKER_HOST");
    String certs = rig("RIG_CERT_PATH");

    List<String> providers = providerNames();

    try (DaemonClient daemon = DaemonClient.connect(new DockerEndpoint(host, true, Path.of(certs), "the rig"))) {
      assertThat(daemon.inspect(REPOSITORY + ":never-built")).isEmpty();
    }
    // docker-java's TLS setup added Bouncy Castle's provider to the JVM, from the plugin's class realm
    assertThat(providerNames()).isEqualTo(providers).doesNotContain("BC");
  }

  @Test
  void tlsWithAnRsaKeyInPkcs1AsMinikubeWritesIt(@TempDir Path dir) throws Exception {
    Path rigCerts = Path.of(rig("RIG_CERT_PATH"));
    Files.copy(rigCerts.resolve("ca.pem"), dir.resolve("ca.pem"));
    Files.copy(rigCerts.resolve("cert.pem"), dir.resolve("cert.pem"));
    Files.writeString(dir.resolve("key.pem"), DaemonTlsTest.traditional(DaemonTls.privateKey(rigCerts.resolve("key.pem"))));
    assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    try (DaemonClient daemon =
        DaemonClient.connect(new DockerEndpoint(rig("RIG_TLS_DOCKER_HOST"), true, dir, "minikube profile 'minikube' (docker-env)"))) {
      assertThat(daemon.info().os()).isEqualTo("linux");
    }
  }

  @Test
  void tlsWithAKeyThatDoesNotMatchItsCertificateFailsTheConnect(@TempDir Path dir) throws Exception {
    Path rigCerts = Path.of(rig("RIG_CERT_PATH"));
    Files.copy(rigCerts.resolve("ca.pem"), dir.resolve("ca.pem"));
    Files.copy(rigCerts.resolve("cert.pem"), dir.resolve("cert.pem"));
    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Files.writeString(dir.resolve("key.pem"), DaemonTlsTest.traditional(rsa.generateKeyPair().getPrivate()));
    DockerEndpoint endpoint = new DockerEndpoint(rig("RIG_TLS_DOCKER_HOST"), true, dir, "<dockerHost>");

    assertThatThrownBy(() -> DaemonClient.connect(endpoint))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("The Docker daemon at " + endpoint.host() + " (<dockerHost>) is not reachable: ");
  }

  @Test
  void tlsWithAKeyFileThatIsNoKeySaysWhichFile(@TempDir Path dir) throws Exception {
    Path rigCerts = Path.of(rig("RIG_CERT_PATH"));
    Files.copy(rigCerts.resolve("ca.pem"), dir.resolve("ca.pem"));
    Files.copy(rigCerts.resolve("cert.pem"), dir.resolve("cert.pem"));
    Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");
    DockerEndpoint endpoint = new DockerEndpoint(rig("RIG_TLS_DOCKER_HOST"), true, dir, "<dockerHost>");

    assertThatThrownBy(() -> DaemonClient.connect(endpoint))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not reachable: its TLS key " + dir.resolve("key.pem") + " is not a PEM private key: ");
  }

  private static List<String> providerNames() {
    return java.util.Arrays.stream(java.security.Security.getProviders()).map(java.security.Provider::getName).toList();
  }

  @Test
  void plainTcpIsSpokenAsHttpAndErrorsCarryTheDaemonsMessage() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer daemon = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    daemon.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          String path = exchange.getRequestURI().getPath();
          int status = path.equals("/_ping") ? 200 : path.contains("broken") ? 500 : 404;
          byte[] body =
              (status == 200 ? "OK" : "{\"message\":\"" + (status == 500 ? "disk full" : "No such image") + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    daemon.start();
    String host = "tcp://127.0.0.1:" + daemon.getAddress().getPort();
    try (DaemonClient client = DaemonClient.connect(new DockerEndpoint(host, false, null, "DOCKER_HOST=" + host))) {
      assertThat(client.inspect("app:dev")).isEmpty();
      assertThatThrownBy(() -> client.inspect("broken:dev"))
          .isInstanceOf(DockerException.class)
          .hasMessage("Status 500: disk full");
    } finally {
      daemon.stop(0);
    }
    assertThat(requests).containsExactly("GET /_ping", "GET /images/app:dev/json", "GET /images/broken:dev/json");
  }

  @Test
  void aDaemonThatDoesNotAnswerIsAConfigurationErrorWithAFix() {
    DockerEndpoint nobody = new DockerEndpoint("tcp://127.0.0.1:1", false, null, "<dockerHost>");

    assertThatThrownBy(() -> DaemonClient.connect(nobody))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("The Docker daemon at tcp://127.0.0.1:1 (<dockerHost>) is not reachable: ")
        .hasMessageContaining("Connection refused");
  }

  @Test
  @Timeout(20)
  @DisplayName("a daemon whose socket takes the connection but never answers (stuck) fails the connect in time, saying so")
  void aStuckDaemonFailsThePingInTime(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("stuck.sock");
    try (ServerSocketChannel stuck = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stuck.bind(UnixDomainSocketAddress.of(socket));
      List<SocketChannel> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread accepting = new Thread(() -> {
        try {
          while (true) {
            held.add(stuck.accept()); // and never read nor write
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      accepting.setDaemon(true);
      accepting.start();
      DockerEndpoint endpoint = new DockerEndpoint("unix://" + socket, false, null, "<dockerHost>");

      long start = System.nanoTime();
      assertThatThrownBy(() -> DaemonClient.connect(endpoint, java.time.Duration.ofSeconds(1)))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("is not reachable: it took the connection but did not answer a ping within 1 s (stuck? restart it)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(held).isNotEmpty();
    }
  }

  @Test
  void anAddressOfAnotherKindSaysWhichKindsThereAre() {
    DockerEndpoint ssh = new DockerEndpoint("ssh://dev@build-host", false, null, "DOCKER_HOST=ssh://dev@build-host");

    assertThatThrownBy(() -> DaemonClient.connect(ssh))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("its scheme 'ssh' is none of unix, npipe, tcp");
  }

  @Test
  void aTlsDaemonAddressedWithoutCertificatesSaysItWantsHttps() {
    // without certificates TCP is plain http: the TLS daemon answers that
    DockerEndpoint plainToTlsPort = new DockerEndpoint(rig("RIG_TLS_DOCKER_HOST"), false, null, "<dockerHost>");

    assertThatThrownBy(() -> DaemonClient.connect(plainToTlsPort))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not reachable")
        .hasMessageContaining("HTTPS");
  }

  @Test
  void tlsWithoutItsCertificateDirectorySaysWhichDirectory(@TempDir Path dir) {
    Path missing = dir.resolve("no-certs");
    DockerEndpoint endpoint = new DockerEndpoint("tcp://127.0.0.1:2376", true, missing, "DOCKER_HOST=tcp://127.0.0.1:2376");

    assertThatThrownBy(() -> DaemonClient.connect(endpoint))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("its TLS certificate directory " + missing + " does not exist");
  }

  /** A setting of the test rig; without the rig the test fails (never skips): it tests against its dockerd. */
  private static String rig(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      fail(variable + " is not set: these tests need the test rig's Docker daemon;"
          + " start it with it/rig/rig.sh start and eval \"$(it/rig/rig.sh env)\"");
    }
    return value;
  }

  private static String imageConfig(String diffId) {
    return "{\"architecture\":\"amd64\",\"os\":\"linux\","
        + "\"config\":{\"Labels\":{\"dev.llmstack.test\":\"daemon-client\"}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
  }

  private static byte[] imageTar(byte[] layer, String config, String tag) throws Exception {
    String configName = sha256(config.getBytes(StandardCharsets.UTF_8)) + ".json";
    String manifest = "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":[\"layer.tar\"]}]";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      add(tar, "layer.tar", layer);
      add(tar, configName, config.getBytes(StandardCharsets.UTF_8));
      add(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static byte[] tar(String name, String content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      add(tar, name, content.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
