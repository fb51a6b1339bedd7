package dev.llmstack.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over length-prefixed fields, so that no two different inputs hash the same bytes: the
 * cache keys of build (image inputs) and deploy (the ApplySet fingerprint).
 */
public final class FieldDigest {

  private final MessageDigest sha;

  public FieldDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public FieldDigest field(String key, String value) {
    bytes(key.getBytes(StandardCharsets.UTF_8));
    bytes(value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public FieldDigest field(String key, byte[] value) {
    bytes(key.getBytes(StandardCharsets.UTF_8));
    bytes(value);
    return this;
  }

  public String hex() {
    return HexFormat.of().formatHex(sha.digest());
  }

  private void bytes(byte[] b) {
    sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    sha.update((byte) ':');
    sha.update(b);
  }
}
