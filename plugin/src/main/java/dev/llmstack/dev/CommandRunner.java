package dev.llmstack.dev;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.StackFailureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a {@link DevCommand}; its output is kept and shown only when it fails. */
final class CommandRunner {

  private static final int SHOWN_LINES = 20;

  private final Duration timeout;

  CommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  void run(DevCommand command) {
    Process process;
    try {
      process = new ProcessBuilder(command.command())
          .directory(command.directory().toFile())
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new ConfigurationException("Cannot run '" + command.describe() + "' in " + command.directory() + ": "
          + e.getMessage() + ".", "Check the image's <devCommand>: is the program installed and on PATH?");
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> copy(process.getInputStream(), output), "llmstack-dev-command");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new StackFailureException("'" + command.describe() + "' did not finish within " + timeout.toSeconds()
            + " s.", "Run it by hand in " + command.directory() + " to see why.");
      }
      reader.join(5_000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new StackFailureException("Interrupted while running '" + command.describe() + "'.", null);
    }
    if (process.exitValue() != 0) {
      throw new StackFailureException("'" + command.describe() + "' failed with exit code " + process.exitValue()
          + " in " + command.directory() + "; its last lines:\n" + tail(output.toString(StandardCharsets.UTF_8)),
          "\nRun it by hand in " + command.directory() + " for its whole output.");
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended; what was read is enough
    }
  }

  static String tail(String output) {
    List<String> lines = output.strip().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - SHOWN_LINES), lines.size()));
  }
}
