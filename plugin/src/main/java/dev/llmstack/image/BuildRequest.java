package dev.llmstack.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything one build needs, validated.
 *
 * @param tag the stable tag every image also gets, e.g. {@code dev}
 * @param outputDirectory {@code target/llmstack}: the build record and tars go here
 * @param baseLayersCache Jib's base image layer cache; {@code null} for Jib's default
 * @param offline Maven offline mode: base images only from the layer cache
 * @param toolVersion the plugin's version (part of every input digest)
 */
public record BuildRequest(
    List<ImageSpec> images,
    ImageDestination destination,
    String tag,
    Path outputDirectory,
    Path baseLayersCache,
    RegistrySettings registries,
    boolean offline,
    String toolVersion) {

  public BuildRequest {
    images = List.copyOf(images);
  }

  public Path recordFile() {
    return outputDirectory.resolve(BuildRecord.FILE_NAME);
  }

  /** The input digests' stat cache: each layer file's metadata and content hash at the last build. */
  public Path hashCacheFile() {
    return outputDirectory.resolve("input-files.cache");
  }
}
