package dev.llmstack.docker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the daemon says about an image it holds.
 *
 * @param layers the diff IDs of its layers, bottom first ({@code RootFS.Layers})
 */
public record DaemonImage(String id, long size, Map<String, String> labels, List<String> repoTags, List<String> layers) {

  public DaemonImage {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** The first 12 hex digits of an image ID, as {@code docker images} shows it. */
  public static String shortId(String imageId) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring("sha256:".length()) : imageId;
    return hex.substring(0, 12);
  }

  /** The ID the daemon gives the image of this config: the digest of the config's bytes. */
  public static String idOf(byte[] config) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
