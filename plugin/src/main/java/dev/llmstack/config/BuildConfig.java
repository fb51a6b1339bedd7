package dev.llmstack.config;

import dev.llmstack.docker.DockerReference;
import dev.llmstack.image.BuildRecord;
import dev.llmstack.image.BuildTarget;
import dev.llmstack.image.ImageSpec;
import dev.llmstack.image.ImageSpecs;
import dev.llmstack.image.RegistrySettings;
import dev.llmstack.minikube.DestinationResolver;
import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * A build of the stack's images, validated: the images, where they go (resolved when the build
 * runs: it may ask minikube), the stable tag and the caches.
 */
public record BuildConfig(
    List<ImageSpec> images,
    DestinationResolver.Options destination,
    String tag,
    Path outputDirectory,
    Path cacheDirectory,
    RegistrySettings registries,
    boolean offline,
    String toolVersion) {

  public BuildConfig {
    images = List.copyOf(images);
  }

  /**
   * @param images the {@code <images>}, converted (their own checks done); validated together here
   * @param outputDirectory {@code target/llmstack}
   */
  public static BuildConfig of(
      List<ImageSpec> images, String target, String registry, String tag, File outputDirectory, File cacheDirectory,
      String minikubeProfile, String minikubeExecutable, String dockerHost, File dockerCertPath,
      RegistrySettings registries, boolean offline, String toolVersion) {
    ImageSpecs.validate(images);
    String stableTag = DockerReference.requireTag(tag, "<tag> (-Dllmstack.tag)");
    Path output = outputDirectory.toPath();
    return new BuildConfig(
        images,
        new DestinationResolver.Options(
            BuildTarget.parse(target),
            Values.text(registry),
            output.resolve("images"),
            Values.text(minikubeProfile),
            Values.text(minikubeExecutable),
            Values.text(dockerHost),
            dockerCertPath == null ? null : dockerCertPath.toPath(),
            output),
        stableTag,
        output,
        cacheDirectory == null ? null : cacheDirectory.toPath(),
        registries,
        offline,
        toolVersion);
  }

  /** The same build of only these images (the dev loop rebuilds what changed). */
  public BuildConfig only(List<String> names) {
    return new BuildConfig(images.stream().filter(i -> names.contains(i.name())).toList(),
        destination, tag, outputDirectory, cacheDirectory, registries, offline, toolVersion);
  }

  /** {@code images.json}: what the last build produced. */
  public Path recordFile() {
    return outputDirectory.resolve(BuildRecord.FILE_NAME);
  }
}
