package dev.llmstack.maven;

import dev.llmstack.config.Values;
import dev.llmstack.image.ImageSpec;
import dev.llmstack.image.LayerSpec;
import java.nio.file.Path;
import java.util.List;

/** XML-bound {@code <image>} parameters to validated-ready records. */
final class ImageParameters {

  private ImageParameters() {}

  static List<ImageSpec> toSpecs(List<ImageParameter> images, Path basedir) {
    return images.stream().map(i -> toSpec(i, basedir)).toList();
  }

  private static ImageSpec toSpec(ImageParameter p, Path basedir) {
    String name = p.name == null ? null : p.name.trim();
    List<LayerSpec> layers =
        p.layers.stream()
            .map(
                l ->
                    new LayerSpec(
                        l.source == null ? null : basedir.resolve(l.source.toPath()).normalize(),
                        l.target == null ? null : l.target.trim(),
                        orDefault(l.filePermissions, LayerSpec.DEFAULT_FILE_PERMISSIONS),
                        orDefault(l.directoryPermissions, LayerSpec.DEFAULT_DIRECTORY_PERMISSIONS),
                        l.excludes == null ? List.of() : l.excludes.stream().filter(e -> e != null && !e.isBlank()).map(String::trim).toList()))
            .toList();
    return new ImageSpec(
        name,
        p.repository == null || p.repository.isBlank() ? name : p.repository.trim(),
        p.from == null ? null : p.from.trim(),
        layers,
        p.entrypoint,
        p.cmd,
        p.env,
        p.ports.stream().map(String::trim).toList(),
        p.labels,
        Values.text(p.user),
        Values.text(p.workdir));
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
