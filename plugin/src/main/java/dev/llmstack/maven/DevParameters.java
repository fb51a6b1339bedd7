package dev.llmstack.maven;

import dev.llmstack.dev.DevCommand;
import dev.llmstack.dev.DevImage;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.ImageSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The dev-only parts of {@code <image>} ({@code <sync>}, {@code <afterSync>}, {@code <devCommand>}) to the dev loop's records. */
final class DevParameters {

  private DevParameters() {}

  /** @param specs the validated specs of {@code images}, in the same order */
  static List<DevImage> toDevImages(List<ImageParameter> images, List<ImageSpec> specs, Path basedir) {
    List<DevImage> result = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      ImageParameter p = images.get(i);
      ImageSpec spec = specs.get(i);
      List<String> sync = p.sync == null ? List.of() : p.sync.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      List<String> afterSync = p.afterSync == null ? List.of() : p.afterSync.stream().filter(a -> a != null && !a.isEmpty()).toList();
      if (!afterSync.isEmpty() && sync.isEmpty()) {
        throw new ConfigurationException("Image '" + spec.name() + "': <afterSync> '" + String.join(" ", afterSync)
            + "' would never run: the image has no <sync> rules.", "Add the <sync> rules it belongs to, or remove <afterSync>.");
      }
      result.add(new DevImage(spec.name(), spec.layers(), basedir, sync, afterSync, command(spec.name(), p.devCommand, basedir)));
    }
    return result;
  }

  private static DevCommand command(String image, DevCommandParameter p, Path basedir) {
    if (p == null) {
      return null;
    }
    List<String> command = p.command == null
        ? List.of()
        : Arrays.stream(p.command.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    if (command.isEmpty()) {
      throw new ConfigurationException("Image '" + image + "': <devCommand> has no <command>.",
          "Add the program and its arguments, e.g. <command>npm run build</command>, or remove <devCommand>.");
    }
    if (p.watch == null || p.watch.stream().allMatch(String::isBlank)) {
      throw new ConfigurationException("Image '" + image + "': <devCommand> '" + String.join(" ", command) + "' watches nothing.",
          "Add the sources that should re-run it, e.g. <watch><path>react-client/src</path></watch>.");
    }
    Path directory = p.directory == null ? basedir : basedir.resolve(p.directory.toPath()).normalize();
    List<Path> watch = p.watch.stream().filter(s -> !s.isBlank()).map(s -> basedir.resolve(s.trim()).normalize()).toList();
    return new DevCommand(command, directory, watch);
  }
}
