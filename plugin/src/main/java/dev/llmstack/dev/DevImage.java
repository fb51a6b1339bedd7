package dev.llmstack.dev;

import dev.llmstack.image.LayerSpec;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;

/**
 * What the dev loop knows of one image: its layers (where each local file lands in the container),
 * which of its files are synced into running containers instead of rebuilt, what runs in those
 * containers after a sync, and the command that produces some of its files.
 *
 * @param sync glob patterns relative to {@code basedir}, e.g. {@code react-client/dist/**}
 * @param afterSync the program and arguments run in each container once synced files landed there
 *     (Skaffold's {@code sync.hooks.after} container hook), e.g. {@code sh -c 'kill -HUP 1'} for a
 *     process that reads its configuration only at start; empty for none
 * @param command null when the image has none
 */
public record DevImage(
    String name, List<LayerSpec> layers, Path basedir, List<String> sync, List<String> afterSync, DevCommand command) {

  public DevImage {
    layers = List.copyOf(layers);
    sync = List.copyOf(sync);
    afterSync = List.copyOf(afterSync);
  }

  /** Where a local file lands in the container, if it is one of this image's layer files. */
  public Optional<String> containerPath(Path file) {
    for (LayerSpec layer : layers) {
      if (file.equals(layer.source())) {
        return Optional.of(layer.target());
      }
      if (file.startsWith(layer.source())) {
        String relative = layer.source().relativize(file).toString().replace('\\', '/');
        return Optional.of(layer.target().replaceAll("/+$", "") + "/" + relative);
      }
    }
    return Optional.empty();
  }

  /** The octal permissions the image gives that file (its layer's). */
  public String filePermissions(Path file) {
    return layers.stream()
        .filter(l -> file.startsWith(l.source()))
        .findFirst()
        .map(LayerSpec::filePermissions)
        .orElse(LayerSpec.DEFAULT_FILE_PERMISSIONS);
  }

  /** Whether a change to this file is copied into the running containers rather than rebuilt. */
  public boolean isSynced(Path file) {
    if (!file.startsWith(basedir)) {
      return false;
    }
    Path relative = basedir.relativize(file);
    return sync.stream().anyMatch(glob -> matcher(glob).matches(relative));
  }

  static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob.trim());
  }
}
