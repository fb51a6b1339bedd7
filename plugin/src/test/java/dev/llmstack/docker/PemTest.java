package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates made by openssl (skipped where there is none), as docker, minikube and kind write them. */
class PemTest {

  @TempDir static Path dir;

  @BeforeAll
  static void certificates() throws Exception {
    assumeTrue(openssl("version"), "openssl is not installed");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
        "-keyout", "ca-key.pem", "-out", "ca.pem");
    // server: 127.0.0.1 only
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server-key.pem", "-out", "server.csr");
    Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "2",
        "-extfile", "san.cnf", "-out", "server.pem");
    // client keys in every format
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.pem");
    openssl("rsa", "-in", "rsa-pkcs8.pem", "-traditional", "-out", "rsa-pkcs1.pem");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.pem");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec-sec1.pem", "-out", "ec-pkcs8.pem");
    for (String key : List.of("rsa-pkcs8", "ec-sec1")) {
      openssl("req", "-new", "-key", key + ".pem", "-subj", "/CN=client", "-out", key + ".csr");
      openssl("x509", "-req", "-in", key + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "2",
          "-out", key + "-cert.pem");
    }
  }

  private static boolean openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return false;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
    return true;
  }

  private static byte[] read(String name) throws IOException {
    return Files.readAllBytes(dir.resolve(name));
  }

  @Test
  @DisplayName("reads RSA keys as PKCS#8 and PKCS#1 and EC keys as SEC1 and PKCS#8, each the certificate's pair")
  void keys() throws Exception {
    X509Certificate rsaCert = Pem.certificates(read("rsa-pkcs8-cert.pem")).get(0);
    X509Certificate ecCert = Pem.certificates(read("ec-sec1-cert.pem")).get(0);

    assertPair(Pem.privateKey(read("rsa-pkcs8.pem")), rsaCert, "SHA256withRSA");
    assertPair(Pem.privateKey(read("rsa-pkcs1.pem")), rsaCert, "SHA256withRSA");
    assertPair(Pem.privateKey(read("ec-sec1.pem")), ecCert, "SHA256withECDSA");
    assertPair(Pem.privateKey(read("ec-pkcs8.pem")), ecCert, "SHA256withECDSA");
    assertThat(new String(read("rsa-pkcs1.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(new String(read("ec-sec1.pem"), StandardCharsets.US_ASCII)).startsWith("-----BEGIN EC PRIVATE KEY-----");
  }

  private static void assertPair(PrivateKey key, X509Certificate cert, String algorithm) throws GeneralSecurityException {
    Signature sign = Signature.getInstance(algorithm);
    sign.initSign(key);
    sign.update(new byte[] {1, 2, 3});
    byte[] signature = sign.sign();
    Signature verify = Signature.getInstance(algorithm);
    verify.initVerify(cert.getPublicKey());
    verify.update(new byte[] {1, 2, 3});
    assertThat(verify.verify(signature)).isTrue();
  }

  @Test
  @DisplayName("says what is wrong with a file that holds no key or an encrypted one")
  void badKeys() {
    assertThatThrownBy(() -> Pem.privateKey("nothing here".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("no private key");
    assertThatThrownBy(() -> Pem.privateKey(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("encrypted");
  }

  @Test
  @DisplayName("TLS with a client certificate: trusted CA and matching host connect; a wrong host name or no client certificate do not")
  void mutualTls() throws Exception {
    SSLContext serverTls = Pem.sslContext(read("ca.pem"), read("server.pem"), read("server-key.pem"), false);
    try (FakeHttpServer server = FakeHttpServer.tcp(serverTls, true, (r, out) -> FakeHttpServer.respond(out, 200, "tls ok"))) {
      for (String key : List.of("rsa-pkcs8", "ec-sec1")) {
        SSLContext client = Pem.sslContext(read("ca.pem"), read(key + "-cert.pem"), read(key + ".pem"), false);
        try (HttpWire http = HttpWire.tcp("127.0.0.1", server.port(), client, true, 2_000, 5_000)) {
          assertThat(http.get("/").text()).as(key).isEqualTo("tls ok");
        }
      }
      SSLContext client = Pem.sslContext(read("ca.pem"), read("rsa-pkcs8-cert.pem"), read("rsa-pkcs1.pem"), false);
      try (HttpWire http = HttpWire.tcp("localhost", server.port(), client, true, 2_000, 5_000)) {
        assertThatThrownBy(() -> http.get("/")).as("certificate is for 127.0.0.1, not localhost")
            .isInstanceOf(javax.net.ssl.SSLException.class);
      }
      try (HttpWire http = HttpWire.tcp("localhost", server.port(), Pem.sslContext(null, read("rsa-pkcs8-cert.pem"),
          read("rsa-pkcs8.pem"), true), true, 2_000, 5_000)) {
        assertThat(http.get("/").text()).as("insecure-skip-tls-verify").isEqualTo("tls ok");
      }
      SSLContext anonymous = Pem.sslContext(read("ca.pem"), null, null, false);
      try (HttpWire http = HttpWire.tcp("127.0.0.1", server.port(), anonymous, true, 2_000, 5_000)) {
        assertThatThrownBy(() -> http.get("/").text()).as("no client certificate").isInstanceOf(IOException.class);
      }
    }
  }
}
