package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the key of a Docker TLS directory in each form docker's tools write it. */
class DaemonTlsTest {

  @TempDir Path dir;

  @Test
  void rsaKeyInPkcs1AsMinikubeAndDockerMachineWriteIt() throws Exception {
    KeyPair pair = generate("RSA", null);
    Path key = write("key.pem", traditional(pair.getPrivate()));
    assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    assertSignsFor(DaemonTls.privateKey(key), pair, "SHA256withRSA");
  }

  @Test
  void rsaKeyInPkcs8AsOpenssl3WritesIt() throws Exception {
    KeyPair pair = generate("RSA", null);
    Path key = write("key.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

    assertSignsFor(DaemonTls.privateKey(key), pair, "SHA256withRSA");
  }

  @Test
  void ecKeyAfterItsParametersAsOpensslEcparamWritesIt() throws Exception {
    KeyPair pair = generate("EC", new ECGenParameterSpec("secp256r1"));
    String parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    // as openssl writes it: the curve inside the key too (a JDK key written by Bouncy Castle lacks it)
    ECPrivateKey sec1 = new ECPrivateKey(
        256, ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(), new X962Parameters(SECObjectIdentifiers.secp256r1));
    Path key = write("key.pem", parameters + pem("EC PRIVATE KEY", sec1.getEncoded()));
    assertThat(Files.readString(key)).contains("-----BEGIN EC PRIVATE KEY-----");

    assertSignsFor(DaemonTls.privateKey(key), pair, "SHA256withECDSA");
  }

  @Test
  void aKeyWithAPassphraseSaysSoAndHowToRemoveIt() throws Exception {
    KeyPair pair = generate("RSA", null);
    String algorithm = "PBEWithSHA1AndDESede";
    Cipher cipher = Cipher.getInstance(algorithm);
    cipher.init(
        Cipher.ENCRYPT_MODE,
        SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec("secret".toCharArray())),
        new PBEParameterSpec(new byte[8], 1000));
    byte[] encrypted =
        new EncryptedPrivateKeyInfo(cipher.getParameters(), cipher.doFinal(pair.getPrivate().getEncoded())).getEncoded();
    Path key = write("key.pem", pem("ENCRYPTED PRIVATE KEY", encrypted));

    assertThatThrownBy(() -> DaemonTls.privateKey(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("its TLS key " + key + " has a passphrase, which llmstack cannot ask for: replace it with the key"
            + " without one (openssl pkey -in key.pem -out plain-key.pem)");
  }

  @Test
  void aCertificateWhereTheKeyBelongsIsNamed() throws Exception {
    Path notAKey = write("key.pem", rigFile("cert.pem"));

    assertThatThrownBy(() -> DaemonTls.privateKey(notAKey))
        .hasMessage("its TLS key " + notAKey + " holds a X509CertificateHolder, not a private key");
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), rigFile("ca.pem"));
    Files.writeString(dir.resolve("key.pem"), rigFile("key.pem"));

    assertThatThrownBy(() -> DaemonTls.context(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("its TLS file " + dir.resolve("cert.pem") + " does not exist");
  }

  @Test
  void emptyFilesAreNamed() throws Exception {
    Path key = write("key.pem", "");
    Path cert = write("cert.pem", "");

    assertThatThrownBy(() -> DaemonTls.privateKey(key)).hasMessage("its TLS key " + key + " holds no PEM private key");
    assertThatThrownBy(() -> DaemonTls.certificates(cert)).hasMessageStartingWith("its TLS file " + cert + " ");
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (curve != null) {
      generator.initialize(curve);
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  /** A key read is right if what it signs verifies with the generated public key. */
  private static void assertSignsFor(PrivateKey read, KeyPair generated, String algorithm) throws Exception {
    byte[] message = "llmstack".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(read, new SecureRandom());
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(generated.getPublic());
    verifier.update(message);
    assertThat(verifier.verify(signature)).isTrue();
  }

  /** OpenSSL's traditional form: PKCS#1 for RSA, SEC1 for EC. */
  static String traditional(PrivateKey key) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(key);
    }
    return text.toString();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  /** The rig's client certificate files (rig.sh makes them; the tests of this package need the rig anyway). */
  private static String rigFile(String name) throws Exception {
    String certs = System.getenv("RIG_CERT_PATH");
    assertThat(certs).as("RIG_CERT_PATH (start the rig: it/rig/rig.sh start; eval \"$(it/rig/rig.sh env)\")").isNotBlank();
    return Files.readString(Path.of(certs, name));
  }
}
