package dev.llmstack.kuberig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The address clients reach the rig at: a TCP relay on 127.0.0.1 in front of the mock API server, so that the API
 * server can be lost the way a real one is lost — connections refused and open ones reset — and come back on the
 * same port with the same state. fabric8's mock server (vert.x) cannot listen again once closed (its
 * {@code MockWebServer} keeps a started flag and closes its Vertx on shutdown), and an HTTP error would not be an
 * outage. Bytes pass unchanged (HTTP/1.1, HTTP/2, WebSocket watches, port-forwards, exec).
 */
final class FrontDoor implements AutoCloseable {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** An outage asked for over HTTP starts once its answer has gone; at the latest this long after. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(2);

  private final InetSocketAddress backend;
  private final int port;
  private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon("kube-rig-front-door"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      daemon("kube-rig-outage"));
  private ServerSocket listener;
  private ScheduledFuture<?> reopening;
  private boolean stopped;
  private Duration afterAnswer;

  FrontDoor(InetSocketAddress backend) throws IOException {
    this.backend = backend;
    this.listener = bind(0);
    this.port = listener.getLocalPort();
    accept(listener);
  }

  int port() {
    return port;
  }

  /** Connections relayed now. */
  int openConnections() {
    return relays.size();
  }

  /**
   * The API server is lost for that long: the port stops listening (new connections are refused), every open
   * connection is reset; then the port listens again and the state is the same.
   */
  synchronized void outage(Duration duration) {
    if (stopped) {
      return;
    }
    afterAnswer = null;
    closeListener();
    dropAll();
    if (reopening != null) {
      reopening.cancel(false);
    }
    reopening = timer.schedule(this::reopen, duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * An outage that starts once the answer to the request asking for it has gone out: the answer carries
   * {@code Connection: close}, so the first connection to end from now is that one (at the latest after
   * {@link #ANSWER_GRACE}).
   */
  synchronized void outageAfterAnswer(Duration duration) {
    afterAnswer = duration;
    timer.schedule(() -> connectionEnded(), ANSWER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void connectionEnded() {
    if (afterAnswer != null) {
      outage(afterAnswer);
    }
  }

  /** The API server is gone for good: connections refused and reset from now on. */
  synchronized void stopServing() {
    stopped = true;
    if (reopening != null) {
      reopening.cancel(false);
    }
    closeListener();
    dropAll();
  }

  /** Ends an outage now instead of when its duration is over (no effect when there is none, or after stopServing). */
  synchronized void endOutage() {
    if (reopening != null) {
      reopening.cancel(false);
    }
    reopen();
  }

  private synchronized void reopen() {
    if (stopped || listener != null && !listener.isClosed()) {
      return;
    }
    // the port was ours a moment ago; another process taking it in between is unlikely, but retry for a while
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        listener = bind(port);
        accept(listener);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          System.err.println("kube rig: cannot listen on 127.0.0.1:" + port + " again after the outage: " + e);
          return;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    final ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(LOOPBACK, port), 128);
    return socket;
  }

  private void accept(ServerSocket socket) {
    threads.execute(() -> {
      while (!socket.isClosed()) {
        final Socket client;
        try {
          client = socket.accept();
        } catch (IOException e) {
          return; // closed: an outage, or the end
        }
        relay(socket, client);
      }
    });
  }

  /**
   * Relays a connection the listener {@code from} accepted, unless an outage closed that listener meanwhile: a client
   * that connected as the outage began (the next request of a keep-alive client whose connection just ended, the
   * very moment an outage asked for over HTTP starts) was relayed after the outage had reset the others, and was
   * served all through it.
   */
  private void relay(ServerSocket from, Socket client) {
    final Socket server = new Socket();
    final Relay relay = new Relay(client, server);
    synchronized (this) {
      if (from != listener || from.isClosed()) {
        reset(client);
        return;
      }
      relays.add(relay); // from now on an outage drops it
    }
    try {
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      server.connect(backend, 5_000);
    } catch (IOException e) {
      relays.remove(relay);
      reset(client);
      closeQuietly(server);
      return;
    }
    threads.execute(() -> relay.pump(client, server));
    threads.execute(() -> relay.pump(server, client));
  }

  private void closeListener() {
    if (listener != null) {
      closeQuietly(listener);
    }
  }

  private void dropAll() {
    for (Relay relay : new ArrayList<>(relays)) {
      relay.drop();
    }
  }

  /** One client connection and its connection to the mock server. */
  private final class Relay {
    private final Socket client;
    private final Socket server;
    private final AtomicInteger directionsDone = new AtomicInteger();

    Relay(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pump(Socket from, Socket to) {
      final byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        final OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
        to.shutdownOutput(); // pass the end on; the other direction may still carry data
        if (directionsDone.incrementAndGet() == 2) {
          end();
        }
      } catch (IOException e) {
        end();
      }
    }

    private void end() {
      if (relays.remove(this)) {
        closeQuietly(client);
        closeQuietly(server);
        connectionEnded();
      }
    }

    /** As a lost server's connections end for the client: reset. */
    void drop() {
      if (relays.remove(this)) {
        reset(client);
        closeQuietly(server);
      }
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // closing is what matters
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      final Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    stopServing();
    timer.shutdownNow();
    threads.shutdownNow();
  }
}
