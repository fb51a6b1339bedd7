package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code pods/exec} WebSocket ({@code v4.channel.k8s.io}) bridged to {@code docker exec [-i] <container>
 * <command...>}: client frames {@code [0, bytes...]} go to the process's stdin, its stdout and stderr come back as
 * {@code [1, ...]} and {@code [2, ...]}; when it ends, {@code [3]} and a {@code Status} (Success, or Failure with
 * reason NonZeroExitCode and the exit code as a cause, as the kubelet sends it), then close 1000. The client closing
 * the WebSocket, or sending the v5 close frame {@code [255, 0]}, closes the process's stdin.
 */
final class ExecSession extends WebSocketListener {

  private static final byte[] EOF = new byte[0];
  /** After the client went away: how long the process may still run before its docker CLI is killed. */
  private static final long GRACE_SECONDS = 10;

  private final DockerPods docker;
  private final String dockerName;
  private final List<String> command;
  private final boolean stdin;
  private final boolean stdout;
  private final boolean stderr;
  private final BlockingQueue<byte[]> toProcess = new LinkedBlockingQueue<>();
  private final AtomicBoolean stdinClosed = new AtomicBoolean();
  private final AtomicBoolean clientGone = new AtomicBoolean();
  private volatile WebSocket webSocket;
  private volatile Process process;

  ExecSession(DockerPods docker, String dockerName, List<String> command, boolean stdin, boolean stdout,
      boolean stderr) {
    this.docker = docker;
    this.dockerName = dockerName;
    this.command = command;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    this.webSocket = ws;
    final List<String> args = new ArrayList<>(List.of("exec"));
    if (stdin) {
      args.add("-i");
    }
    args.add(dockerName);
    args.addAll(command);
    final Process p;
    try {
      p = docker.process(args);
    } catch (IOException e) {
      finish(failure("InternalError", "error executing command " + command + ": " + e.getMessage(), null));
      return;
    }
    process = p;
    if (stdin) {
      daemon("kube-rig-exec-stdin", () -> writeStdin(p));
    } else {
      closeQuietly(p.getOutputStream());
    }
    final Thread out = daemon("kube-rig-exec-stdout", () -> pump(p.getInputStream(), (byte) 1, stdout));
    final Thread err = daemon("kube-rig-exec-stderr", () -> pump(p.getErrorStream(), (byte) 2, stderr));
    daemon("kube-rig-exec-wait", () -> {
      try {
        final int exit = p.waitFor();
        out.join();
        err.join();
        finish(exit == 0 ? success() : failure("NonZeroExitCode", "command terminated with non-zero exit code: "
            + "error executing command " + command + ", exit code " + exit, exit));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private void writeStdin(Process p) {
    try (OutputStream in = p.getOutputStream()) {
      Chunks.copy(toProcess, EOF, in);
    } catch (IOException e) {
      // the process no longer reads its stdin
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pump(InputStream from, byte channel, boolean forward) {
    final byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from) {
      int read;
      while ((read = in.read(buffer, 1, buffer.length - 1)) >= 0) {
        if (read > 0 && forward && !clientGone.get()) {
          final byte[] frame = Arrays.copyOf(buffer, read + 1);
          frame[0] = channel;
          webSocket.send(frame);
        }
      }
    } catch (IOException e) {
      // process gone
    }
  }

  /** Sends the status on the error channel and closes; nothing is delivered once the client has closed. */
  private void finish(ObjectNode status) {
    final WebSocket ws = webSocket;
    final byte[] json = status.toString().getBytes(StandardCharsets.UTF_8);
    final byte[] frame = new byte[json.length + 1];
    frame[0] = 3;
    System.arraycopy(json, 0, frame, 1, json.length);
    ws.send(frame);
    ws.close(1000, "");
  }

  private static ObjectNode success() {
    final ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.putObject("metadata");
    status.put("status", "Success");
    return status;
  }

  private static ObjectNode failure(String reason, String message, Integer exitCode) {
    final ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    if (exitCode != null) {
      status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
          .put("message", String.valueOf(exitCode));
    }
    return status;
  }

  @Override
  public void onMessage(WebSocket ws, byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    if (bytes[0] == 0 && bytes.length > 1 && stdin && !stdinClosed.get()) {
      toProcess.add(Arrays.copyOfRange(bytes, 1, bytes.length));
    } else if ((bytes[0] & 0xff) == 255 && bytes.length > 1 && bytes[1] == 0) {
      closeStdin(); // v5.channel.k8s.io: the client closed stream 0
    }
    // channel 4 (resize) and anything else: ignored
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    onMessage(ws, text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    clientClosed();
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    clientClosed();
  }

  @Override
  public void onFailure(WebSocket ws, Throwable error, Response response) {
    clientClosed();
  }

  /** The client went away: EOF on stdin; a process that still runs after the grace time loses its docker CLI. */
  private void clientClosed() {
    if (!clientGone.compareAndSet(false, true)) {
      return;
    }
    closeStdin();
    final Process p = process;
    if (p != null) {
      CompletableFuture.delayedExecutor(GRACE_SECONDS, TimeUnit.SECONDS).execute(() -> {
        if (p.isAlive()) {
          p.destroy();
        }
      });
    }
  }

  /** EOF on the process's stdin once what the client sent before is written. */
  private void closeStdin() {
    if (stdinClosed.compareAndSet(false, true)) {
      toProcess.add(EOF);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    final Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // ignore
    }
  }
}
