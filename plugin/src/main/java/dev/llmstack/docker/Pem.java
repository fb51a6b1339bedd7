package dev.llmstack.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS material in PEM files, as the Docker CLI ({@code ca.pem}, {@code cert.pem}, {@code key.pem})
 * and kubeconfigs hold it, turned into an {@link SSLContext} with the JDK alone. Private keys may be
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}, what minikube writes) or SEC1
 * ({@code EC PRIVATE KEY}); encrypted keys are not supported.
 */
public final class Pem {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private Pem() {}

  /**
   * @param caPem certificates to trust, or null for the JDK's default trust store
   * @param certPem client certificate (chain), or null for none
   * @param keyPem the client certificate's private key, or null for none
   * @param trustAll accept any server certificate and host name (kubeconfig's insecure-skip-tls-verify)
   */
  public static SSLContext sslContext(byte[] caPem, byte[] certPem, byte[] keyPem, boolean trustAll)
      throws GeneralSecurityException, IOException {
    KeyManager[] keyManagers = null;
    if (certPem != null && keyPem != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = "llmstack".toCharArray();
      keys.setKeyEntry("client", privateKey(keyPem), password, certificates(certPem).toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      keyManagers = kmf.getKeyManagers();
    }
    TrustManager[] trustManagers = null;
    if (trustAll) {
      trustManagers = new TrustManager[] {new TrustAll()};
    } else if (caPem != null) {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(caPem)) {
        trusted.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      trustManagers = tmf.getTrustManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, trustManagers, null);
    return context;
  }

  public static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certs = new ArrayList<>();
    for (Certificate c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
      certs.add((X509Certificate) c);
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificate in the PEM data");
    }
    return certs;
  }

  public static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der, "RSA", "EC", "Ed25519", "Ed448");
        case "RSA PRIVATE KEY":
          return pkcs8(wrapPkcs1(der), "RSA");
        case "EC PRIVATE KEY":
          return pkcs8(wrapSec1(der), "EC");
        default:
          if (type.startsWith("ENCRYPTED") || type.contains("ENCRYPTED")) {
            throw new GeneralSecurityException("encrypted private keys are not supported");
          }
          // e.g. "EC PARAMETERS" before the key: skip
      }
    }
    throw new GeneralSecurityException("no private key in the PEM data");
  }

  private static PrivateKey pkcs8(byte[] der, String... algorithms) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : algorithms) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (algorithm rsaEncryption). */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] algorithm = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, pkcs1));
  }

  /** SEC1 ECPrivateKey inside a PKCS#8 PrivateKeyInfo (id-ecPublicKey, its named curve). */
  static byte[] wrapSec1(byte[] sec1) throws GeneralSecurityException {
    byte[] curve = null;
    // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING, [0] parameters, [1] publicKey }
    Der outer = new Der(sec1, 0);
    if (outer.tag != 0x30) {
      throw new GeneralSecurityException("not an EC private key");
    }
    for (int p = outer.contentStart; p < outer.end; ) {
      Der element = new Der(sec1, p);
      if (element.tag == 0xa0) {
        Der oid = new Der(sec1, element.contentStart);
        curve = java.util.Arrays.copyOfRange(sec1, element.contentStart, oid.end);
      }
      p = element.end;
    }
    if (curve == null) {
      throw new GeneralSecurityException("the EC private key does not name its curve");
    }
    byte[] ecPublicKey = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    return sequence(new byte[] {0x02, 0x01, 0x00}, sequence(ecPublicKey, curve), tlv(0x04, sec1));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element: tag, where its content starts, where it ends. */
  private static final class Der {
    final int tag;
    final int contentStart;
    final int end;

    Der(byte[] b, int at) throws GeneralSecurityException {
      try {
        tag = b[at] & 0xff;
        int len = b[at + 1] & 0xff;
        int p = at + 2;
        if (len >= 0x80) {
          int bytes = len & 0x7f;
          if (bytes == 0 || bytes > 3) {
            throw new GeneralSecurityException("unsupported DER length");
          }
          len = 0;
          for (int i = 0; i < bytes; i++) {
            len = (len << 8) | (b[p++] & 0xff);
          }
        }
        contentStart = p;
        end = p + len;
        if (end > b.length) {
          throw new GeneralSecurityException("truncated DER");
        }
      } catch (ArrayIndexOutOfBoundsException e) {
        throw new GeneralSecurityException("truncated DER");
      }
    }
  }

  /** insecure-skip-tls-verify: the user asked for no verification. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
