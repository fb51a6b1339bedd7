package dev.llmstack.image;

import dev.llmstack.digest.FieldDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
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
    FieldDigest h = new FieldDigest();
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
    return h.hex();
  }

  private static void hashTree(FieldDigest h, Path root) {
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
}
