package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** How the controllers name what they create: template hashes and random suffixes in the safe alphabet. */
final class Names {

  /** apimachinery's rand.SafeEncodeString alphabet: no vowels, no 0/1/3 (no words, no look-alikes). */
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper CANONICAL = Serialization.jsonMapper().copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Names() {
  }

  /**
   * Ten characters of the safe alphabet from a digest of the canonical object: the pod-template-hash of a
   * Deployment's template, the hash in a ControllerRevision's name. (The controllers use FNV-32a; any stable digest
   * names the same way.)
   */
  static String hash(Object object) {
    try {
      final Object tree = Serialization.jsonMapper().convertValue(object, Object.class);
      final byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
      final StringBuilder out = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        out.append(SAFE_ALPHABET.charAt((digest[i] & 0xff) % SAFE_ALPHABET.length()));
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** n random characters of the safe alphabet, as generateName's suffix (pods {@code <rs>-<rand5>}). */
  static String random(int n) {
    final StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(SAFE_ALPHABET.charAt(RANDOM.nextInt(SAFE_ALPHABET.length())));
    }
    return out.toString();
  }

  /** Hex SHA-256, for made-up container IDs. */
  static String sha256(String s) {
    try {
      final byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      final StringBuilder out = new StringBuilder();
      for (byte b : d) {
        out.append(String.format("%02x", b));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
