package dev.llmstack.config;

import java.util.List;

/** How raw parameter values are read, in one place: trimmed, blank meaning unset. */
public final class Values {

  private Values() {}

  /** The trimmed value, or null when it is null or blank. */
  public static String text(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The trimmed, non-blank entries (a list parameter written as {@code a, b,} or with empty elements). */
  public static List<String> list(List<String> values) {
    return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
  }
}
