package dev.llmstack.kuberig;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kube rig as a process, for Maven invoker ITs.
 *
 * <pre>
 * java -cp ... dev.llmstack.kuberig.KubeRigMain --kubeconfig &lt;file&gt; [--exit-on-stdin-eof] [--docker-host &lt;url&gt;]
 *     starts the rig, writes the kubeconfig atomically once the server answers, prints "kube rig ready at &lt;url&gt;",
 *     runs until killed (SIGTERM closes the rig) or, with --exit-on-stdin-eof, until stdin reaches EOF.
 *     Pods annotated rig.llmstack.dev/run: docker run as containers on the docker host (default: $DOCKER_HOST;
 *     "none" for none); they are removed when the rig stops.
 * java -cp ... dev.llmstack.kuberig.KubeRigMain --await &lt;kubeconfig&gt; [--timeout-seconds 60]
 *     exits 0 as soon as the file exists and its server answers GET /api/v1/namespaces; 1 otherwise.
 * </pre>
 */
public final class KubeRigMain {

  private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server:\\s*(\\S+)\\s*$");
  private static final Pattern TOKEN = Pattern.compile("(?m)^\\s*token:\\s*(\\S+)\\s*$");

  private KubeRigMain() {
  }

  public static void main(String[] args) throws Exception {
    String kubeconfig = null;
    String await = null;
    long timeoutSeconds = 60;
    boolean exitOnStdinEof = false;
    String dockerHost = System.getenv("DOCKER_HOST");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--kubeconfig":
          kubeconfig = value(args, ++i);
          break;
        case "--await":
          await = value(args, ++i);
          break;
        case "--timeout-seconds":
          timeoutSeconds = Long.parseLong(value(args, ++i));
          break;
        case "--exit-on-stdin-eof":
          exitOnStdinEof = true;
          break;
        case "--docker-host":
          dockerHost = value(args, ++i);
          break;
        default:
          usage("unknown argument " + args[i]);
      }
    }
    if (await != null) {
      System.exit(await(Paths.get(await), Duration.ofSeconds(timeoutSeconds)));
    } else if (kubeconfig != null) {
      serve(Paths.get(kubeconfig), exitOnStdinEof,
          dockerHost == null || dockerHost.isBlank() || "none".equals(dockerHost) ? null : dockerHost);
    } else {
      usage("give --kubeconfig <file> or --await <kubeconfig>");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("kube rig: " + problem + ". Usage: KubeRigMain --kubeconfig <file> [--exit-on-stdin-eof]"
        + " [--docker-host <url>|none] | --await <kubeconfig> [--timeout-seconds N]");
    System.exit(2);
  }

  private static void serve(Path kubeconfig, boolean exitOnStdinEof, String dockerHost) throws Exception {
    final KubeRig rig = KubeRig.builder().dockerHost(dockerHost).start();
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      rig.close();
      stopped.countDown();
    }, "kube-rig-shutdown"));
    if (!answers(rig.url(), Authentication.TOKEN)) {
      System.err.println("kube rig: the server at " + rig.url() + " does not answer GET /api/v1/namespaces");
      System.exit(1);
    }
    final Path absolute = kubeconfig.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    final Path tmp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    Files.write(tmp, KubeRig.kubeconfig(rig.url()).getBytes(StandardCharsets.UTF_8));
    try {
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("kube rig ready at " + rig.url());
    System.out.println(dockerHost == null ? "kube rig: no docker host; pods annotated rig.llmstack.dev/run: docker"
        + " will not run" : "kube rig: pods annotated rig.llmstack.dev/run: docker run on " + dockerHost);
    System.out.flush();
    if (exitOnStdinEof) {
      final InputStream in = System.in;
      final byte[] buffer = new byte[1024];
      while (in.read(buffer) >= 0) {
        // wait for EOF
      }
      System.exit(0);
    }
    stopped.await();
  }

  static int await(Path kubeconfig, Duration timeout) throws InterruptedException {
    final Instant deadline = Instant.now().plus(timeout);
    String problem;
    do {
      problem = check(kubeconfig);
      if (problem == null) {
        return 0;
      }
      Thread.sleep(100);
    } while (Instant.now().isBefore(deadline));
    System.err.println("kube rig not ready after " + timeout.getSeconds() + " s: " + problem);
    return 1;
  }

  private static String check(Path kubeconfig) {
    if (!Files.isRegularFile(kubeconfig)) {
      return kubeconfig + " does not exist";
    }
    final String text;
    try {
      text = Files.readString(kubeconfig);
    } catch (IOException e) {
      return "cannot read " + kubeconfig + ": " + e.getMessage();
    }
    final Matcher m = SERVER.matcher(text);
    if (!m.find()) {
      return kubeconfig + " names no server";
    }
    final Matcher token = TOKEN.matcher(text);
    return answers(m.group(1), token.find() ? token.group(1) : null) ? null : "the server " + m.group(1) + " in "
        + kubeconfig + " does not answer GET /api/v1/namespaces";
  }

  /** The server answers 200 to GET /api/v1/namespaces with that bearer token (or none). */
  static boolean answers(String url, String token) {
    try {
      final HttpURLConnection c = (HttpURLConnection) new URL(url + "/api/v1/namespaces").openConnection();
      if (token != null) {
        c.setRequestProperty("Authorization", "Bearer " + token);
      }
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }
}
