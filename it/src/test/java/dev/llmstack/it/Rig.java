package dev.llmstack.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What the ITs' verify scripts check against the test rig: the real daemon (through the docker
 * CLI), the real registries (their HTTP API, through curl) and build logs.
 */
public final class Rig {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Rig() {}

  public static String rigDir() {
    return System.getenv().getOrDefault("LLMSTACK_RIG_DIR", "/tmp/llmstack-rig");
  }

  public static String dockerHost() {
    return "unix://" + rigDir() + "/docker.sock";
  }

  /** Runs the docker CLI against the rig's daemon; fails the test on a non-zero exit. */
  public static String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", dockerHost()));
    command.addAll(List.of(args));
    return run(command, null);
  }

  /** Like {@link #docker} but returns null instead of failing. */
  public static String dockerOrNull(String... args) {
    try {
      return docker(args);
    } catch (AssertionError e) {
      return null;
    }
  }

  /** {@code docker image inspect}, the first (only) element. */
  public static JsonNode inspect(String reference) throws IOException {
    return JSON.readTree(docker("image", "inspect", reference)).get(0);
  }

  public static boolean imageExists(String reference) {
    return dockerOrNull("image", "inspect", reference) != null;
  }

  /** Removes images left by an earlier run of an IT, so it starts from a known state. */
  public static void removeImages(String... references) {
    for (String reference : references) {
      dockerOrNull("image", "rm", "-f", reference);
    }
  }

  /** Content and mode of a file in an image (created as a stopped container, copied out as tar). */
  public static FileInImage fileInImage(String reference, String path) throws IOException {
    String container = docker("create", reference).trim();
    try {
      Process p =
          new ProcessBuilder("docker", "-H", dockerHost(), "cp", container + ":" + path, "-").start();
      try (InputStream in = p.getInputStream(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null) {
          throw new AssertionError("No " + path + " in " + reference);
        }
        String content = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        return new FileInImage(content, Integer.toOctalString(entry.getMode() & 07777));
      }
    } finally {
      docker("rm", container);
    }
  }

  /** A file read out of an image. */
  public record FileInImage(String content, String mode) {}

  /** Image-load events for images with label {@code it=<itLabel>} since a moment (epoch seconds). */
  public static int loadEvents(String itLabel, long sinceEpochSeconds) {
    String out =
        docker(
            "events",
            "--since", Long.toString(sinceEpochSeconds),
            "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
            "--filter", "type=image",
            "--filter", "event=load",
            "--filter", "label=it=" + itLabel,
            "--format", "{{.Actor.ID}}");
    return (int) out.lines().filter(l -> !l.isBlank()).count();
  }

  /**
   * A manifest from a registry's HTTP API (null if absent); user may be null. Returns the
   * Docker-Content-Digest header and the manifest.
   */
  public static Map<String, Object> registryManifest(
      String scheme, String registry, String repository, String reference, String user, String password)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl", "-sk", "-D", "-",
                "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
                "-H", "Accept: application/vnd.oci.image.manifest.v1+json"));
    if (user != null) {
      command.addAll(List.of("-u", user + ":" + password));
    }
    command.add(scheme + "://" + registry + "/v2/" + repository + "/manifests/" + reference);
    String response = run(command, null);
    String[] parts = response.split("\r\n\r\n", 2);
    if (!parts[0].contains(" 200")) {
      return null;
    }
    String digest =
        parts[0].lines()
            .filter(l -> l.toLowerCase().startsWith("docker-content-digest:"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("");
    return Map.of("digest", digest, "manifest", JSON.readTree(parts[1]));
  }

  /** What a Maven run from a verify script printed, and how it ended. */
  public record MavenRun(int exitCode, String log) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /**
   * Runs the ITs' Maven once more in the IT's project, as invoker runs it (its settings, local
   * repository and environment), for steps a verify script takes between goals: change the cluster
   * or the overlay, then deploy or undeploy again. The output goes to {@code <logName>} in the
   * project too. Bounded by 5 minutes.
   *
   * @param vars the script's variables (basedir, mavenHome, itSettings, itLocalRepo, itSettingsSecurity, kubeconfig)
   */
  public static MavenRun mvn(Map<String, Object> vars, String logName, String... args) throws IOException, InterruptedException {
    File basedir = (File) vars.get("basedir");
    List<String> command = new java.util.ArrayList<>(List.of(vars.get("mavenHome") + "/bin/mvn", "-B",
        "-s", String.valueOf(vars.get("itSettings")), "-Dmaven.repo.local=" + vars.get("itLocalRepo"),
        "-Dsettings.security=" + vars.get("itSettingsSecurity")));
    command.addAll(List.of(args));
    File log = new File(basedir, logName);
    ProcessBuilder pb = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(log);
    pb.environment().put("KUBECONFIG", String.valueOf(vars.get("kubeconfig")));
    pb.environment().put("DOCKER_HOST", dockerHost());
    Process process = pb.start();
    if (!process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("mvn " + String.join(" ", args) + " did not end within 5 minutes:\n" + tail(Files.readString(log.toPath())));
    }
    return new MavenRun(process.exitValue(), Files.readString(log.toPath()));
  }

  /** No Java stack frame in the log (Maven prints one only with -e). */
  public static void assertNoStackTrace(String log) {
    // "\tat a.B.c(B.java:1)" as the JVM prints it, "    at a.B.c (B.java:1)" as Maven's logger does
    if (log.lines().anyMatch(l -> l.matches("\\s+at [\\w.$<>]+ ?\\(.*\\)"))) {
      throw new AssertionError("The log shows a stack trace without -e:\n" + tail(log));
    }
  }

  /** A client of the simulated cluster (kube-rig) the ITs deploy to. */
  public static io.fabric8.kubernetes.client.KubernetesClient kube(String kubeconfig) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(new File(kubeconfig)))
        .build();
  }

  /** Fails if a text (a secret value) appears in the build log or any file under target/. */
  public static void assertNowhere(File basedir, String secret) throws IOException {
    if (Files.readString(new File(basedir, "build.log").toPath()).contains(secret)) {
      throw new AssertionError("The secret value appears in build.log");
    }
    Path target = basedir.toPath().resolve("target");
    if (Files.isDirectory(target)) {
      try (var files = Files.walk(target)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (Files.size(f) < 50_000_000 && new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret)) {
            throw new AssertionError("The secret value appears in " + f);
          }
        }
      }
    }
  }

  public static JsonNode json(File file) throws IOException {
    return JSON.readTree(file);
  }

  /**
   * The build failed with one clear message: every expected text is in the log, and no Java stack
   * frame was printed (Maven shows one only with -e).
   */
  public static void assertCleanFailure(File buildLog, String... expected) throws IOException {
    String log = Files.readString(buildLog.toPath());
    if (!log.contains("BUILD FAILURE")) {
      throw new AssertionError("The build did not fail:\n" + tail(log));
    }
    for (String text : expected) {
      if (!log.contains(text)) {
        throw new AssertionError("The log lacks '" + text + "':\n" + tail(log));
      }
    }
    assertNoStackTrace(log);
  }

  public static void assertLogContains(File buildLog, String... expected) throws IOException {
    String log = Files.readString(buildLog.toPath());
    for (String text : expected) {
      if (!log.contains(text)) {
        throw new AssertionError("The log lacks '" + text + "':\n" + tail(log));
      }
    }
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  static String run(List<String> command, Path dir) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drainErr = new Thread(() -> copy(p.getErrorStream(), err));
      drainErr.start();
      p.getInputStream().transferTo(out);
      int rc = p.waitFor();
      drainErr.join();
      if (rc != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (" + rc + "): " + err.toString(StandardCharsets.UTF_8));
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("Cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
