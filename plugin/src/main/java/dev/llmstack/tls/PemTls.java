package dev.llmstack.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A TLS client context from PEM, the one home for it: the Docker daemon's certificate directory and
 * a kubeconfig's certificates and keys (files or inline {@code *-data}) both come here.
 *
 * <p>The JDK reads the certificates. minikube and docker-machine write the key as PKCS#1 ("RSA
 * PRIVATE KEY"), which the JDK cannot read: Bouncy Castle's PEM parser reads it, and the JDK's
 * key factory makes the key. Bouncy Castle's security provider is not registered (docker-java's
 * LocalDirectorySSLConfig did: ~250 classes, ~0.1 s of every build, and a provider from the
 * plugin's class realm left in the JVM-wide list).
 *
 * <p>Failures are IllegalArgumentExceptions naming the PEM's source (its description) without a
 * cause: the callers' "not reachable" errors show the deepest cause's message.
 */
public final class PemTls {

  /** PEM text and what to call it in a message ("its TLS file /certs/ca.pem", "the kubeconfig's client-key-data"). */
  public record Pem(String describe, Path file, byte[] inline) {

    public static Pem file(String describe, Path file) {
      return new Pem(describe, file, null);
    }

    public static Pem inline(String describe, byte[] pem) {
      return new Pem(describe, null, pem);
    }

    InputStream open() throws IOException {
      return inline != null ? new ByteArrayInputStream(inline) : Files.newInputStream(file);
    }
  }

  private PemTls() {}

  /**
   * @param authorities the CA certificates to trust, or null for the JVM's trust store
   * @param alsoJvmTrust whether the JVM's trust store is trusted besides the authorities (as kubectl does)
   * @param certificate the client certificate, or null for none
   * @param key the client key (with {@code certificate})
   */
  public static SSLContext context(Pem authorities, boolean alsoJvmTrust, Pem certificate, Pem key) {
    try {
      KeyManager[] keys = certificate == null ? null : new ClientCertificate(privateKey(key), certificates(certificate)).asArray();
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (authorities == null) {
        trust.init((KeyStore) null);
      } else {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        X509Certificate[] cas = certificates(authorities);
        for (int i = 0; i < cas.length; i++) {
          trusted.setCertificateEntry("ca-" + i, cas[i]);
        }
        if (alsoJvmTrust) {
          for (X509Certificate jvm : jvmAuthorities()) {
            trusted.setCertificateEntry("jvm-" + jvm.getSubjectX500Principal().getName() + "-" + jvm.getSerialNumber(), jvm);
          }
        }
        trust.init(trusted);
      }
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys, trust.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("its TLS files do not make a TLS context: " + e.getMessage());
    }
  }

  /** A context trusting every server certificate ({@code insecure-skip-tls-verify}), with the client certificate if any. */
  public static SSLContext trustingAll(Pem certificate, Pem key) {
    try {
      KeyManager[] keys = certificate == null ? null : new ClientCertificate(privateKey(key), certificates(certificate)).asArray();
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys, new TrustManager[] {new TrustAll()}, null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("no TLS context: " + e.getMessage());
    }
  }

  public static X509Certificate[] certificates(Pem pem) {
    try (InputStream in = pem.open()) {
      X509Certificate[] certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(X509Certificate[]::new);
      if (certificates.length == 0) {
        throw new IllegalArgumentException(pem.describe() + " holds no certificate");
      }
      return certificates;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(pem.describe() + " does not exist");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(pem.describe() + " is not a PEM certificate: " + e.getMessage());
    }
  }

  /** PKCS#1 (RSA PRIVATE KEY), SEC1 (EC PRIVATE KEY, after any EC PARAMETERS) or PKCS#8 (PRIVATE KEY). */
  public static PrivateKey privateKey(Pem pem) {
    try (Reader text = new InputStreamReader(pem.open(), StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(text)) {
      for (Object read = parser.readObject(); read != null; read = parser.readObject()) {
        if (read instanceof PEMKeyPair pair) {
          return new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
        } else if (read instanceof PrivateKeyInfo info) {
          return new JcaPEMKeyConverter().getPrivateKey(info);
        } else if (read instanceof PEMEncryptedKeyPair || read instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new IllegalArgumentException(pem.describe() + " has a passphrase, which llmstack cannot"
              + " ask for: replace it with the key without one (openssl pkey -in key.pem -out plain-key.pem)");
        } else if (!(read instanceof ASN1ObjectIdentifier)) { // EC PARAMETERS: the key follows
          throw new IllegalArgumentException(pem.describe() + " holds a " + read.getClass().getSimpleName() + ", not a private key");
        }
      }
      throw new IllegalArgumentException(pem.describe() + " holds no PEM private key");
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(pem.describe() + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(pem.describe() + " is not a PEM private key: " + e.getMessage());
    }
  }

  private static List<X509Certificate> jvmAuthorities() throws GeneralSecurityException {
    TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jvm.init((KeyStore) null);
    List<X509Certificate> all = new ArrayList<>();
    for (TrustManager m : jvm.getTrustManagers()) {
      if (m instanceof X509TrustManager x) {
        all.addAll(Arrays.asList(x.getAcceptedIssuers()));
      }
    }
    return all;
  }

  /** {@code insecure-skip-tls-verify}: the user asked to trust any server. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * Presents the one certificate, whichever authorities the daemon names, as the docker CLI and kubectl do (a key
   * store would encrypt the key on the way in: PKCS#12 runs PBKDF2 for it).
   */
  private static final class ClientCertificate extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
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
