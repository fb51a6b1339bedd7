package dev.llmstack.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The TLS context for a daemon that wants a client certificate, from a directory laid out as the
 * docker CLI reads {@code DOCKER_CERT_PATH}: {@code ca.pem}, {@code cert.pem}, {@code key.pem}.
 *
 * <p>The JDK reads the certificates. minikube and docker-machine write the key as PKCS#1 ("RSA
 * PRIVATE KEY"), which the JDK cannot read: Bouncy Castle's PEM parser reads it, and the JDK's
 * key factory makes the key. Bouncy Castle's security provider is not registered (docker-java's
 * LocalDirectorySSLConfig did: ~250 classes, ~0.1 s of every build, and a provider from the
 * plugin's class realm left in the JVM-wide list).
 */
final class DaemonTls {

  private DaemonTls() {}

  /**
   * Throws IllegalArgumentException naming the file that is missing or unreadable; without a cause,
   * as the daemon's "not reachable" error says the deepest cause's message.
   */
  static SSLContext context(Path certs) {
    X509Certificate[] chain = certificates(certs.resolve("cert.pem"));
    PrivateKey key = privateKey(certs.resolve("key.pem"));
    X509Certificate[] authorities = certificates(certs.resolve("ca.pem"));
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (int i = 0; i < authorities.length; i++) {
        trusted.setCertificateEntry("ca-" + i, authorities[i]);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(new ClientCertificate(key, chain).asArray(), trust.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("its TLS files in " + certs + " do not make a TLS context: " + e.getMessage());
    }
  }

  static X509Certificate[] certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate[] certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(X509Certificate[]::new);
      if (certificates.length == 0) {
        throw new IllegalArgumentException("its TLS file " + file + " holds no certificate");
      }
      return certificates;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("its TLS file " + file + " does not exist");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("its TLS file " + file + " is not a PEM certificate: " + e.getMessage());
    }
  }

  /** PKCS#1 (RSA PRIVATE KEY), SEC1 (EC PRIVATE KEY, after any EC PARAMETERS) or PKCS#8 (PRIVATE KEY). */
  static PrivateKey privateKey(Path file) {
    try (Reader text = Files.newBufferedReader(file); PEMParser pem = new PEMParser(text)) {
      for (Object read = pem.readObject(); read != null; read = pem.readObject()) {
        if (read instanceof PEMKeyPair pair) {
          return new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
        } else if (read instanceof PrivateKeyInfo info) {
          return new JcaPEMKeyConverter().getPrivateKey(info);
        } else if (read instanceof PEMEncryptedKeyPair || read instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IllegalArgumentException("its TLS key " + file + " has a passphrase, which llmstack cannot"
              + " ask for: replace it with the key without one (openssl pkey -in key.pem -out plain-key.pem)");
        } else if (!(read instanceof ASN1ObjectIdentifier)) { // EC PARAMETERS: the key follows
          throw new IllegalArgumentException(
              "its TLS key " + file + " holds a " + read.getClass().getSimpleName() + ", not a private key");
        }
      }
      throw new IllegalArgumentException("its TLS key " + file + " holds no PEM private key");
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("its TLS key " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("its TLS key " + file + " is not a PEM private key: " + e.getMessage());
    }
  }

  /**
   * Presents the one certificate, whichever authorities the daemon names, as the docker CLI does (a key
   * store would encrypt the key on the way in: PKCS#12 runs PBKDF2 for it).
   */
  private static final class ClientCertificate extends X509ExtendedKeyManager {
    private static final String ALIAS = "docker";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientCertificate(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    KeyManager[] asArray() {
      return new KeyManager[] {this};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return Arrays.asList(keyTypes).contains(key.getAlgorithm()) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null; // a client only
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
