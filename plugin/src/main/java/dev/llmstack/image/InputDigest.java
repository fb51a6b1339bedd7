package dev.llmstack.image;

import dev.llmstack.digest.FieldDigest;
import dev.llmstack.digest.FileHashCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;

/**
 * A digest of everything that goes into an image (configuration and layer file contents), as
 * Skaffold's cache key: equal digests mean the build would produce the same image, so it is skipped.
 * The base image counts by its reference; a moved base tag is picked up by a forced rebuild.
 *
 * <p>File contents come through a {@link FileHashCache}: a file whose metadata did not change since
 * the last build is not read again.
 */
public final class InputDigest {

  /**
   * The digest and the files it covers (the same list Jib's layers are made from).
   *
   * @param layers per layer of the spec, its files and directories
   */
  public record Inputs(String digest, List<List<LayerFiles.Entry>> layers) {}

  private static final int OWNER_EXECUTE = 0100;

  private InputDigest() {}

  /** Without a cache: every file is read. */
  public static String of(ImageSpec spec, String toolVersion) {
    return inputs(spec, toolVersion, FileHashCache.none()).digest();
  }

  /** Lists the layer sources (failing on a file that cannot be layered) and digests them. */
  public static Inputs inputs(ImageSpec spec, String toolVersion, FileHashCache cache) {
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
    h.field("layering", LayerChunks.RULE);
    byte[] buffer = new byte[64 * 1024]; // one per image, not per file: 20,000 files made 1.3 GB of garbage
    List<List<LayerFiles.Entry>> layers = new ArrayList<>();
    for (LayerSpec layer : spec.layers()) {
      h.field("layer", layer.target() + " " + layer.filePermissions() + " " + layer.directoryPermissions());
      h.field("excludes", String.join("\u0000", layer.excludes()));
      List<LayerFiles.Entry> files = LayerFiles.scan(layer, spec.name());
      for (LayerFiles.Entry file : files) {
        if (file.directory()) {
          h.field("dir:" + file.relative(), "");
        } else {
          h.field("file:" + file.relative(), (file.stamp().mode() & OWNER_EXECUTE) != 0 ? "x" : "-");
          h.field("sha256", contentHash(cache, file, buffer, spec.name()));
        }
      }
      layers.add(files);
    }
    return new Inputs(h.hex(), layers);
  }

  private static byte[] contentHash(FileHashCache cache, LayerFiles.Entry file, byte[] buffer, String image) {
    try {
      return cache.sha256(file.path(), file.stamp(), buffer);
    } catch (AccessDeniedException e) {
      // root passes the listing's access check but not every file system's (NFS root squash)
      throw new dev.llmstack.error.ConfigurationException(
          "Image '" + image + "': the file " + file.path() + " cannot be read by this build's user (access denied).",
          "Give the build's user read permission (chmod a+r), or exclude it with <layer><excludes>.");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.path(), e);
    }
  }
}
