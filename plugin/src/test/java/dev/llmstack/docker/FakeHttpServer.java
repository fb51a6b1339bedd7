package dev.llmstack.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A scripted HTTP/1.1 server for tests, on a unix socket or TCP (optionally TLS): each request
 * (its body de-chunked) goes to the handler, whose answer is written verbatim, so tests control the
 * framing (Content-Length, chunked, none, or closing the connection).
 */
final class FakeHttpServer implements AutoCloseable {

  record Request(String method, String target, Map<String, String> headers, byte[] body) {}

  interface Handler {
    /** Writes the whole response; returns false to close the connection afterwards. */
    boolean answer(Request request, OutputStream out) throws IOException;
  }

  private final AutoCloseable server;
  private final Thread acceptor;
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  private final int port;

  private FakeHttpServer(AutoCloseable server, int port, Acceptor accept, Handler handler) {
    this.server = server;
    this.port = port;
    this.acceptor = new Thread(() -> {
      while (true) {
        Connection c;
        try {
          c = accept.next();
        } catch (IOException e) {
          return;
        }
        connections.incrementAndGet();
        Thread t = new Thread(() -> serve(c, handler));
        t.setDaemon(true);
        t.start();
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private interface Acceptor {
    Connection next() throws IOException;
  }

  private record Connection(InputStream in, OutputStream out, AutoCloseable resource) {}

  static FakeHttpServer unix(Path socket, Handler handler) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socket));
    return new FakeHttpServer(channel, -1, () -> {
      SocketChannel s = channel.accept();
      return new Connection(Channels.newInputStream(s), Channels.newOutputStream(s), s);
    }, handler);
  }

  static FakeHttpServer tcp(SSLContext tls, boolean needClientAuth, Handler handler) throws IOException {
    ServerSocket socket;
    if (tls != null) {
      SSLServerSocket ssl = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      ssl.setNeedClientAuth(needClientAuth);
      socket = ssl;
    } else {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }
    return new FakeHttpServer(socket, socket.getLocalPort(), () -> {
      Socket s = socket.accept();
      return new Connection(s.getInputStream(), s.getOutputStream(), s);
    }, handler);
  }

  int port() {
    return port;
  }

  private void serve(Connection c, Handler handler) {
    try (AutoCloseable closing = c.resource()) {
      InputStream in = new BufferedInputStream(c.in());
      while (true) {
        String requestLine = line(in);
        if (requestLine == null) {
          return;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
          int colon = h.indexOf(':');
          headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
            b.write(in.readNBytes(size));
            line(in);
          }
          line(in);
          body = b.toByteArray();
        } else {
          body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        requests.incrementAndGet();
        OutputStream out = c.out();
        boolean keep = handler.answer(new Request(parts[0], parts[1], headers, body), out);
        out.flush();
        if (!keep) {
          return;
        }
      }
    } catch (Exception e) {
      // the client went away
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** A complete response with Content-Length. */
  static boolean respond(OutputStream out, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    return true;
  }

  /** A complete response in chunks of the given pieces. */
  static boolean respondChunked(OutputStream out, int status, String... pieces) throws IOException {
    out.write(("HTTP/1.1 " + status + " X\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String p : pieces) {
      byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
      out.write((Integer.toHexString(bytes.length) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write("0\r\nTrailer: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return true;
  }

  @Override
  public void close() throws Exception {
    server.close();
    acceptor.join(2_000);
  }
}
