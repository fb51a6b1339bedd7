package dev.llmstack.image;

import dev.llmstack.error.ConfigurationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where built images go. */
public enum BuildTarget {
  /** minikube's Docker daemon (through its docker-env), else the local daemon. */
  DOCKER,
  /** pushed to a registry. */
  REGISTRY,
  /** {@code target/llmstack/images/<name>.tar}, loaded with {@code minikube image load} where needed. */
  TAR;

  public static BuildTarget parse(String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(t -> t.label().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigurationException(
                    "Unknown build target '" + value + "'.",
                    "Set <target> (or -Dllmstack.target) to one of "
                        + Arrays.stream(values()).map(BuildTarget::label).collect(Collectors.joining(", "))
                        + "."));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
