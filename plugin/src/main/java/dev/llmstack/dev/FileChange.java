package dev.llmstack.dev;

import java.nio.file.Path;

/** A file whose content changed (or that appeared), or that was deleted. */
public record FileChange(Path file, boolean deleted) {

  public static FileChange modified(Path file) {
    return new FileChange(file, false);
  }

  public static FileChange deleted(Path file) {
    return new FileChange(file, true);
  }
}
