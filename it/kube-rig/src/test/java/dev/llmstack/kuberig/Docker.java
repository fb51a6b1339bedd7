package dev.llmstack.kuberig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test rig's Docker daemon, through the docker CLI, for tests of docker-backed pods. The host is
 * {@code -Dkube.rig.dockerHost}, else {@code $RIG_DOCKER_HOST} (what {@code it/rig/rig.sh env} exports and .ci/run
 * has set before the build), else {@code $DOCKER_HOST}. No host or no answer fails the test (never skips it).
 */
final class Docker {

  static final String START_HINT = "start it with it/rig/rig.sh start (and eval \"$(it/rig/rig.sh env)\")";

  private Docker() {
  }

  /** The docker host, checked to answer. */
  static String host() {
    String host = System.getProperty("kube.rig.dockerHost");
    if (isBlank(host)) {
      host = System.getenv("RIG_DOCKER_HOST");
    }
    if (isBlank(host)) {
      host = System.getenv("DOCKER_HOST");
    }
    if (isBlank(host)) {
      fail("docker-backed pod tests need the test rig's Docker daemon, but neither RIG_DOCKER_HOST nor DOCKER_HOST"
          + " is set: " + START_HINT);
    }
    final Result version = run(host, 15, "version", "--format", "{{.Server.Version}}");
    if (version.exit != 0) {
      fail("the Docker daemon at " + host + " does not answer (" + version.err.trim() + "): " + START_HINT);
    }
    return host;
  }

  /** The rig's plain registry (stand-in base images). */
  static String registry() {
    final String registry = System.getenv("RIG_REGISTRY");
    return isBlank(registry) ? "127.0.0.1:5000" : registry;
  }

  static final class Result {
    final int exit;
    final String out;
    final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }
  }

  static Result run(String host, long timeoutSeconds, String... args) {
    final List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
    final ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("DOCKER_HOST", host);
    pb.environment().put("DOCKER_BUILDKIT", "0");
    pb.environment().remove("DOCKER_CONTEXT");
    try {
      final Process p = pb.start();
      p.getOutputStream().close();
      final CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
        try {
          return p.getErrorStream().readAllBytes();
        } catch (IOException e) {
          return new byte[0];
        }
      });
      final byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "", "docker " + args[0] + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, "", "cannot run docker: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }

  /** Runs docker and asserts success; its stdout. */
  static String ok(String host, String... args) {
    final Result r = run(host, 60, args);
    assertThat(r.exit).as("docker %s: %s", String.join(" ", args), r.err).isZero();
    return r.out;
  }

  /** Names of containers (running or not) matching a {@code docker ps} filter. */
  static List<String> containers(String host, String filter) {
    final List<String> names = new ArrayList<>();
    for (String line : ok(host, "ps", "-a", "--filter", filter, "--format", "{{.Names}}").split("\n")) {
      if (!line.isBlank()) {
        names.add(line.trim());
      }
    }
    return names;
  }

  /** Polls (bounded) until the containers matching the filter satisfy the condition. */
  static List<String> awaitContainers(String host, String filter, Predicate<List<String>> condition)
      throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> names = containers(host, filter);
    while (!condition.test(names) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      names = containers(host, filter);
    }
    assertThat(condition).as("containers with %s: %s", filter, names).accepts(names);
    return names;
  }

  /**
   * Builds {@code tag} from the busybox stand-in base with {@code /www/index.html} = content, serving /www with
   * httpd on 8080. No RUN step (the rig's daemon has no bridge network for build containers).
   *
   * @return whether the base image was pulled by this build (absent before)
   */
  static boolean buildWebImage(String host, String tag, String content, Path dir) throws IOException {
    final String base = registry() + "/library/busybox:standin";
    final boolean hadBase = run(host, 30, "image", "inspect", base).exit == 0;
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("index.html"), content);
    Files.writeString(dir.resolve("Dockerfile"), "FROM " + base + "\nCOPY index.html /www/index.html\n"
        + "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
    ok(host, "build", "-q", "-t", tag, dir.toString());
    return !hadBase;
  }

  /** Removes a test's images, and the stand-in base too when the test's build pulled it (the daemon as found). */
  static void removeImages(String host, boolean pulledBase, String... tags) {
    final List<String> rmi = new ArrayList<>(List.of("rmi", "-f"));
    rmi.addAll(Arrays.asList(tags));
    run(host, 60, rmi.toArray(new String[0]));
    if (pulledBase) {
      run(host, 60, "rmi", registry() + "/library/busybox:standin");
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
