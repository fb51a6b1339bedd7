package dev.llmstack.docker;

import dev.llmstack.tls.PemTls.Pem;
import dev.llmstack.tls.PemTls;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;

/**
 * The TLS context for a daemon that wants a client certificate, from a directory laid out as the
 * docker CLI reads {@code DOCKER_CERT_PATH}: {@code ca.pem}, {@code cert.pem}, {@code key.pem}
 * ({@link PemTls} reads them).
 */
final class DaemonTls {

  private DaemonTls() {}

  /** Throws IllegalArgumentException naming the file that is missing or unreadable. */
  static SSLContext context(Path certs) {
    Pem certificate = Pem.file("its TLS file " + certs.resolve("cert.pem"), certs.resolve("cert.pem"));
    Pem key = Pem.file("its TLS key " + certs.resolve("key.pem"), certs.resolve("key.pem"));
    Pem authorities = Pem.file("its TLS file " + certs.resolve("ca.pem"), certs.resolve("ca.pem"));
    try {
      return PemTls.context(authorities, false, certificate, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("its TLS files", "its TLS files in " + certs));
    }
  }

  static X509Certificate[] certificates(Path file) {
    return PemTls.certificates(Pem.file("its TLS file " + file, file));
  }

  static PrivateKey privateKey(Path file) {
    return PemTls.privateKey(Pem.file("its TLS key " + file, file));
  }
}
