package dev.llmstack.dev;

import java.nio.file.Path;
import java.util.List;

/**
 * A command that turns watched sources into an image's layer files, e.g. {@code npm run build} for
 * the React client: run once before the first build and again whenever a file under {@code watch}
 * changes; what it writes is then synced or rebuilt like any other layer file.
 *
 * @param command the program and its arguments (no shell)
 * @param directory working directory
 * @param watch files or directories whose changes re-run it
 */
public record DevCommand(List<String> command, Path directory, List<Path> watch) {

  public DevCommand {
    command = List.copyOf(command);
    watch = List.copyOf(watch);
  }

  public String describe() {
    return String.join(" ", command);
  }
}
