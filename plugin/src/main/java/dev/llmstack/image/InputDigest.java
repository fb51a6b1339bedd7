package dev.llmstack.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A digest of everything that goes into an image (configuration and layer file contents), as
 * Skaffold's cache key: equal digests mean the build would produce the same image, so it is skipped.
 * The base image counts by its reference; a moved base tag is picked up by a forced rebuild.
 */
public final class InputDigest {

  private InputDigest() {}

  public static String of(ImageSpec spec, String toolVersion) {
    MessageDigest sha = sha256();
    Hasher h = new Hasher(sha);
    h.field("tool", toolVersion);
    h.field("repository", spec.repository());
    h.field("from", spec.from());
    h.field("entrypoint", String.join("\u0000", spec.entrypoint()));
    h.field("cmd", spec.cmd() == null ? "<inherit>" : String.join("\u0000", spec.cmd()));
    spec.environment().forEach((k, v) -> h.field("env." + k, v));
    spec.labels().forEach((k, v) -> h.field("label." + k, v));
    h.field("ports", String.join(",", spec.ports()));
    h.field("user", String.valueOf(spec.user()));
    h.field("workdir", String.valueOf(spec.workingDirectory()));
    for (LayerSpec layer : spec.layers()) {
      h.field("layer", layer.target() + " " + layer.filePermissions() + " " + layer.directoryPermissions());
      hashTree(h, layer.source());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void hashTree(Hasher h, Path root) {
    // Links are followed, as Jib follows them when it copies the files into the layer.
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      List<Path> files = walk.sorted().toList();
      for (Path p : files) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (Files.isDirectory(p)) {
          h.field("dir:" + rel, "");
        } else {
          h.field("file:" + rel, Files.isExecutable(p) ? "x" : "-");
          try (InputStream in = Files.newInputStream(p)) {
            h.content(in, Files.size(p));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + root, e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Length-prefixed fields, so that no two different inputs hash the same bytes. */
  private record Hasher(MessageDigest sha) {
    void field(String key, String value) {
      bytes(key.getBytes(StandardCharsets.UTF_8));
      bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    void content(InputStream in, long size) throws IOException {
      sha.update((Long.toString(size) + ":").getBytes(StandardCharsets.US_ASCII));
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }

    private void bytes(byte[] b) {
      sha.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) ':');
      sha.update(b);
    }
  }
}
