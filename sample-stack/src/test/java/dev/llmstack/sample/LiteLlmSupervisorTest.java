package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * images/litellm/llmstack-supervisor.sh, the litellm image's PID 1, run by this machine's shells (dash, and busybox's
 * ash as in the stand-in base): SIGHUP starts the command again (which then reads the config anew), SIGTERM ends it and
 * the supervisor with the command's status, and a command that ends on its own ends the supervisor.
 */
class LiteLlmSupervisorTest {

  private static final Path SUPERVISOR = Path.of(System.getProperty("images.dir", "images"), "litellm", "llmstack-supervisor.sh");

  @TempDir Path dir;

  /** A stand-in for LiteLLM: records the config it read at start, then serves (sleeps) until stopped. */
  private Process start(String shell) throws IOException {
    Files.writeString(dir.resolve("config.yaml"), "v1");
    return new ProcessBuilder(concat(shell, SUPERVISOR.toAbsolutePath().toString(), "sh", "-c",
        // one write per start, a whole line: what the test counts is never half written
        "echo \"$(cat config.yaml)\" >> started.log; exec sleep 60")).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("supervisor.log").toFile()).start();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bin/sh", "busybox sh"})
  void sighupStartsTheCommandAgainWithTheNewConfigAndSigtermEndsBoth(String shell) throws Exception {
    requireShell(shell);
    Process supervisor = start(shell);
    try {
      awaitStarts(1);
      Files.writeString(dir.resolve("config.yaml"), "v2"); // what a sync does
      signal(supervisor, "HUP");                          // what <afterSync> does

      awaitStarts(2);
      assertEquals(List.of("v1", "v2"), Files.readAllLines(dir.resolve("started.log")));
      assertTrue(supervisor.isAlive());
      assertTrue(Files.readString(dir.resolve("supervisor.log")).contains("llmstack-supervisor: SIGHUP: starting sh again"));

      signal(supervisor, "TERM");
      assertTrue(supervisor.waitFor(10, TimeUnit.SECONDS), "supervisor ends on SIGTERM");
      assertEquals(143, supervisor.exitValue(), "the command's status (killed by SIGTERM)");
      assertEquals(2, Files.readAllLines(dir.resolve("started.log")).size(), "not started again after SIGTERM");
    } finally {
      supervisor.destroyForcibly();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bin/sh", "busybox sh"})
  void aCommandThatEndsOnItsOwnEndsTheSupervisorWithItsStatus(String shell) throws Exception {
    requireShell(shell);
    Process supervisor = new ProcessBuilder(concat(shell, SUPERVISOR.toAbsolutePath().toString(), "sh", "-c", "exit 3"))
        .directory(dir.toFile()).redirectErrorStream(true).start();
    assertTrue(supervisor.waitFor(10, TimeUnit.SECONDS));
    assertEquals(3, supervisor.exitValue());
  }

  private static List<String> concat(String shell, String... args) {
    List<String> command = new ArrayList<>(List.of(shell.split(" ")));
    command.addAll(List.of(args));
    return command;
  }

  private static void requireShell(String shell) {
    String program = shell.split(" ")[0];
    if (!program.startsWith("/")) {
      boolean found = List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, program)));
      if (!found) {
        fail(program + " is not installed: the image's stand-in base runs busybox (Debian: apt-get install busybox-static)");
      }
    }
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }

  /** Waits (bounded) until the stand-in has started {@code n} times, as its log says. */
  private void awaitStarts(int n) throws Exception {
    Path log = dir.resolve("started.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readAllLines(log).size() >= n) {
        return;
      }
      Thread.sleep(20);
    }
    fail("not started " + n + " time(s) within 10 s: " + (Files.exists(log) ? Files.readString(log) : "no start"));
  }
}
