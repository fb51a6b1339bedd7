package dev.llmstack.kuberig;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;

/**
 * The pods' side of the {@code portforward} subresource: bridges each port-forward WebSocket ({@code v4.channel.k8s.io})
 * to a TCP connection to the backend that plays the pod's port. A backend is either registered by a test or, by
 * default, a built-in HTTP server per (namespace, pod, port) that answers every request with a JSON description of
 * itself — a simulated pod, not the pod's real workload.
 */
final class PortForwarding implements AutoCloseable {

  private static final byte[] POISON = new byte[0];
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** (namespace, pod, port). */
  static final class Target {
    final String namespace;
    final String pod;
    final int port;

    Target(String namespace, String pod, int port) {
      this.namespace = namespace;
      this.pod = pod;
      this.port = port;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Target && ((Target) o).namespace.equals(namespace) && ((Target) o).pod.equals(pod)
          && ((Target) o).port == port;
    }

    @Override
    public int hashCode() {
      return Objects.hash(namespace, pod, port);
    }

    @Override
    public String toString() {
      return namespace + "/" + pod + ":" + port;
    }
  }

  private final Map<Target, InetSocketAddress> registered = new ConcurrentHashMap<>();
  private final Map<Target, HttpServer> defaults = new ConcurrentHashMap<>();
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  void register(String namespace, String pod, int port, InetSocketAddress backend) {
    registered.put(new Target(namespace, pod, port), Objects.requireNonNull(backend, "backend"));
  }

  boolean isRegistered(Target target) {
    return registered.containsKey(target);
  }

  void unregister(String namespace, String pod) {
    registered.keySet().removeIf(t -> t.namespace.equals(namespace) && t.pod.equals(pod));
  }

  /** The registered backend, else the default HTTP server for the target (started now if need be). */
  InetSocketAddress backend(Target target) {
    final InetSocketAddress explicit = registered.get(target);
    if (explicit != null) {
      return explicit;
    }
    if (closed.get()) {
      throw new IllegalStateException("the kube rig is closed");
    }
    return defaults.computeIfAbsent(target, PortForwarding::startDefault).getAddress();
  }

  /** How many default HTTP backends run now. */
  int defaultBackends() {
    return defaults.size();
  }

  private static HttpServer startDefault(Target target) {
    try {
      final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        try (InputStream body = exchange.getRequestBody()) {
          body.readAllBytes();
        }
        final byte[] answer = ("{\"pod\":" + jsonString(target.pod) + ",\"namespace\":" + jsonString(target.namespace)
            + ",\"port\":" + target.port + ",\"method\":" + jsonString(exchange.getRequestMethod()) + ",\"path\":"
            + jsonString(exchange.getRequestURI().getPath()) + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if ("HEAD".equals(exchange.getRequestMethod())) {
          exchange.sendResponseHeaders(200, -1);
        } else {
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        }
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jsonString(String s) {
    final StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /**
   * After deletions: stops the default backends and closes the forwards of pods that no longer exist.
   *
   * @param exists (namespace, pod) → whether the pod is still stored
   */
  void sweep(BiPredicate<String, String> exists) {
    final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    for (Target t : new ArrayList<>(defaults.keySet())) {
      if (!seen.computeIfAbsent(t.namespace + "/" + t.pod, k -> exists.test(t.namespace, t.pod))) {
        final HttpServer server = defaults.remove(t);
        if (server != null) {
          server.stop(0);
        }
      }
    }
    for (Session s : new ArrayList<>(sessions)) {
      if (!seen.computeIfAbsent(s.target.namespace + "/" + s.target.pod,
          k -> exists.test(s.target.namespace, s.target.pod))) {
        s.fail(s.errorPrefix() + "the pod was deleted");
      }
    }
  }

  /** How many port-forward WebSockets are open now. */
  int openForwards() {
    return sessions.size();
  }

  /**
   * A listener for one port-forward WebSocket.
   *
   * @param notReady null to forward, else the error to send on the error channel before closing
   */
  WebSocketListener session(Target target, String uid, String notReady) {
    return new Session(target, uid, notReady, null);
  }

  /** Starts the process that plays the pod's port: its stdout is what the pod sends, its stdin what it receives. */
  interface PodProcess {
    Process start() throws IOException;
  }

  /**
   * A listener for one port-forward WebSocket bridged to a process (e.g. {@code docker exec -i <container> nc
   * 127.0.0.1 <port>}) instead of a TCP connection. A process that ends with a non-zero exit code before it sent a
   * byte failed to connect: its stderr goes to the error channel.
   */
  WebSocketListener session(Target target, String uid, String notReady, PodProcess podProcess) {
    return new Session(target, uid, notReady, podProcess);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Session s : new ArrayList<>(sessions)) {
      s.shutdown();
    }
    for (Target t : new ArrayList<>(defaults.keySet())) {
      final HttpServer server = defaults.remove(t);
      if (server != null) {
        server.stop(0);
      }
    }
  }

  /** One WebSocket bridged to one TCP connection: a writer thread (to the pod) and a reader thread (from it). */
  private final class Session extends WebSocketListener {
    private final Target target;
    private final String uid;
    private final String notReady;
    private final PodProcess podProcess;
    private final BlockingQueue<byte[]> toPod = new LinkedBlockingQueue<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean sentAny = new AtomicBoolean();
    private volatile WebSocket webSocket;
    private volatile Socket socket;
    private volatile Process process;

    Session(Target target, String uid, String notReady, PodProcess podProcess) {
      this.target = target;
      this.uid = uid;
      this.notReady = notReady;
      this.podProcess = podProcess;
    }

    String errorPrefix() {
      return "error forwarding port " + target.port + " to pod " + target.pod + ", uid " + uid + ": ";
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      this.webSocket = ws;
      sessions.add(this);
      // v4.channel.k8s.io: the port (little endian) first on the data channel, then on the error channel
      final byte lo = (byte) (target.port & 0xff);
      final byte hi = (byte) ((target.port >> 8) & 0xff);
      ws.send(new byte[] { 0, lo, hi });
      ws.send(new byte[] { 1, lo, hi });
      if (closed.get()) {
        fail(errorPrefix() + "the kube rig is closing");
      } else if (notReady != null) {
        fail(notReady);
      } else {
        final Thread writer = new Thread(podProcess == null ? this::toPod : this::toPodProcess,
            "kube-rig-forward-" + target + "-to-pod");
        writer.setDaemon(true);
        writer.start();
      }
    }

    private void toPod() {
      final InetSocketAddress address;
      final Socket s = new Socket();
      try {
        address = backend(target);
        s.connect(address, CONNECT_TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
      } catch (IOException | RuntimeException e) {
        closeQuietly(s);
        fail(errorPrefix() + "failed to connect to localhost:" + target.port + " inside namespace \""
            + target.namespace + "\" (kube rig backend): " + e.getMessage());
        return;
      }
      socket = s;
      if (done.get()) {
        closeQuietly(s);
        return;
      }
      final Thread reader = new Thread(this::fromPod, "kube-rig-forward-" + target + "-from-pod");
      reader.setDaemon(true);
      reader.start();
      try {
        Chunks.copy(toPod, POISON, s.getOutputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shutdown();
      } catch (IOException e) {
        if (!done.get()) {
          fail(errorPrefix() + "writing to the pod: " + e.getMessage());
        }
      }
    }

    private void toPodProcess() {
      final Process p;
      try {
        p = podProcess.start();
      } catch (IOException | RuntimeException e) {
        fail(errorPrefix() + "failed to connect to localhost:" + target.port + " inside namespace \""
            + target.namespace + "\": " + e.getMessage());
        return;
      }
      process = p;
      if (done.get()) {
        p.destroy();
        return;
      }
      final java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
      final Thread errors = new Thread(() -> {
        try (InputStream err = p.getErrorStream()) {
          final byte[] text = err.readAllBytes();
          synchronized (stderr) {
            stderr.write(text, 0, text.length);
          }
        } catch (IOException e) {
          // gone
        }
      }, "kube-rig-forward-" + target + "-stderr");
      errors.setDaemon(true);
      errors.start();
      final Thread reader = new Thread(() -> {
        fromPod(p.getInputStream(), false);
        try {
          final int exit = p.waitFor();
          errors.join(1000);
          final String message;
          synchronized (stderr) {
            message = stderr.toString(StandardCharsets.UTF_8).trim();
          }
          if (exit != 0 && !sentAny.get()) {
            fail(errorPrefix() + "failed to connect to localhost:" + target.port + " inside namespace \""
                + target.namespace + "\": " + (message.isEmpty() ? "exit code " + exit : message));
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        shutdown();
      }, "kube-rig-forward-" + target + "-from-pod");
      reader.setDaemon(true);
      reader.start();
      try (OutputStream out = p.getOutputStream()) {
        Chunks.copy(toPod, POISON, out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shutdown();
      } catch (IOException e) {
        // the process ended; the reader reports
      }
    }

    private void fromPod() {
      try {
        fromPod(socket.getInputStream(), true);
      } catch (IOException e) {
        if (!done.get()) {
          fail(errorPrefix() + "reading from the pod: " + e.getMessage());
        }
      }
    }

    /** Pod bytes to data frames until EOF; then, if {@code closeAtEof}, closes the session. */
    private void fromPod(InputStream in, boolean closeAtEof) {
      final byte[] buffer = new byte[16 * 1024];
      try {
        int read;
        while ((read = in.read(buffer, 1, buffer.length - 1)) >= 0) {
          if (read > 0) {
            sentAny.set(true);
            final byte[] frame = Arrays.copyOf(buffer, read + 1);
            frame[0] = 0;
            webSocket.send(frame);
          }
        }
        if (closeAtEof) {
          shutdown(); // the pod closed the connection: close the WebSocket too, as the kubelet does
        }
      } catch (IOException e) {
        if (!done.get()) {
          fail(errorPrefix() + "reading from the pod: " + e.getMessage());
        }
      }
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      if (bytes.length == 0 || done.get()) {
        return;
      }
      if (bytes[0] == 0 && bytes.length > 1) {
        toPod.add(Arrays.copyOfRange(bytes, 1, bytes.length));
      }
      // the client writes nothing else; the error channel is server to client only
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      onMessage(ws, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      shutdown();
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      shutdown();
    }

    @Override
    public void onFailure(WebSocket ws, Throwable error, Response response) {
      shutdown();
    }

    /** Sends an error on the error channel, then closes both sides. */
    void fail(String message) {
      if (done.get()) {
        return;
      }
      final WebSocket ws = webSocket;
      if (ws != null) {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[text.length + 1];
        frame[0] = 1;
        System.arraycopy(text, 0, frame, 1, text.length);
        ws.send(frame);
      }
      shutdown();
    }

    void shutdown() {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      sessions.remove(this);
      toPod.clear();
      toPod.add(POISON);
      final Socket s = socket;
      if (s != null) {
        closeQuietly(s);
      }
      final Process p = process;
      if (p != null) {
        p.destroy();
      }
      final WebSocket ws = webSocket;
      if (ws != null) {
        ws.close(1000, "");
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // ignore
    }
  }
}
