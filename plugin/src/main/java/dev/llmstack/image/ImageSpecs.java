package dev.llmstack.image;

import dev.llmstack.docker.DockerReference;
import dev.llmstack.error.ConfigurationException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a stack's images before anything is built, so bad input fails at once and clearly: the
 * declarations when the configuration is read, the layer sources when the build starts.
 */
public final class ImageSpecs {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
  private static final Pattern OCTAL = Pattern.compile("[0-7]{3}");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}(/(tcp|udp|sctp))?");

  private ImageSpecs() {}

  public static void validate(List<ImageSpec> images) {
    if (images.isEmpty()) {
      throw new ConfigurationException(
          "No images are configured.",
          "Add <images><image><name>…</name><from>…</from></image></images> to the plugin's <configuration>.");
    }
    Set<String> names = new HashSet<>();
    Set<String> repositories = new HashSet<>();
    for (ImageSpec spec : images) {
      validate(spec);
      if (!names.add(spec.name())) {
        throw new ConfigurationException(
            "Two images are named '" + spec.name() + "'.", "Give each <image> a unique <name>.");
      }
      if (!repositories.add(spec.repository())) {
        throw new ConfigurationException(
            "Two images use the repository '" + spec.repository() + "', so one would overwrite the other's tags.",
            "Give each <image> its own <repository> (or leave it out: it defaults to the name).");
      }
    }
  }

  private static void validate(ImageSpec spec) {
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      throw new ConfigurationException(
          "Image name '" + spec.name() + "' is not valid.",
          "Use lower-case letters, digits, '.', '_' and '-' in <name>, e.g. litellm.");
    }
    String image = "Image '" + spec.name() + "'";
    if (spec.from() == null || spec.from().isBlank()) {
      throw new ConfigurationException(image + " has no base image.", "Set its <from>, e.g. nginx:1.27-alpine.");
    }
    checkReference(image + ": <from> '" + spec.from() + "'", DockerReference.referenceProblem(spec.from()),
        "Write it as [registry/]repository[:tag], e.g. ghcr.io/berriai/litellm:main-v1.63.14.");
    checkReference(image + ": <repository> '" + spec.repository() + "'", DockerReference.repositoryProblem(spec.repository()),
        DockerReference.REPOSITORY_RULE + ".");
    for (String port : spec.ports()) {
      if (!PORT.matcher(port).matches() || Integer.parseInt(port.split("/")[0]) > 65535) {
        throw new ConfigurationException(
            image + ": port '" + port + "' is not valid.", "Write ports as 4000 or 4000/tcp or 53/udp.");
      }
    }
    if (spec.workingDirectory() != null && !spec.workingDirectory().startsWith("/")) {
      throw new ConfigurationException(
          image + ": <workdir> '" + spec.workingDirectory() + "' is not absolute.", "Start it with '/'.");
    }
    for (LayerSpec layer : spec.layers()) {
      if (layer.source() == null) {
        throw new ConfigurationException(image + " has a layer without a source.", "Set its <layer><source>.");
      }
      if (layer.target() == null || !layer.target().startsWith("/")) {
        throw new ConfigurationException(
            image + ": layer target '" + layer.target() + "' for " + layer.source().getFileName()
                + " is not an absolute path.",
            "Set <layer><target> to a path in the image starting with '/', e.g. /app/config.yaml.");
      }
      for (String exclude : layer.excludes()) {
        try {
          LayerFiles.matcher(exclude);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(
              image + ": <exclude> '" + exclude + "' of layer " + layer.source().getFileName() + " is not a valid glob ("
                  + e.getMessage().lines().findFirst().orElse("") + ").",
              "Write globs relative to the layer's <source>, e.g. **/*.sock or .cache.");
        }
      }
      for (String permissions : List.of(layer.filePermissions(), layer.directoryPermissions())) {
        if (!OCTAL.matcher(permissions).matches()) {
          throw new ConfigurationException(
              image + ": permissions '" + permissions + "' are not three octal digits.",
              "Write <filePermissions>/<directoryPermissions> like 644 or 755.");
        }
      }
    }
  }

  /**
   * Fails on the first layer source that does not exist. Asked when the build starts, not with the
   * other checks: an earlier step of the same build (npm run build) may be what makes it.
   */
  public static void requireSources(List<ImageSpec> images) {
    missingSources(images).stream().findFirst().ifPresent(missing -> {
      throw new ConfigurationException(
          missing + " does not exist.", "Create it, or fix <layer><source> (relative paths start at the project's directory).");
    });
  }

  /** "Image 'web': layer source /p/dist" for each layer source that does not exist (yet). */
  public static List<String> missingSources(List<ImageSpec> images) {
    return images.stream()
        .flatMap(spec -> spec.layers().stream()
            .filter(layer -> !Files.exists(layer.source()))
            .map(layer -> "Image '" + spec.name() + "': layer source " + layer.source()))
        .toList();
  }

  private static void checkReference(String what, java.util.Optional<String> problem, String fix) {
    if (problem.isPresent()) {
      throw new ConfigurationException(what + " is not a valid image reference: " + problem.get() + ".", fix);
    }
  }
}
