package dev.llmstack.docker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal HTTP/1.1 client over a unix socket or TCP (plain or TLS), with kept-alive connections
 * reused across requests. It is what the Docker Engine API and the Kubernetes API need for a few
 * small requests and one streamed upload, and it starts in a few milliseconds: the no-change paths
 * of build and deploy use it instead of a general-purpose client (docker-java and HttpClient 5,
 * fabric8 and Jackson: over a thousand classes to load before the first request).
 */
public final class HttpWire implements AutoCloseable {

  /** Opens a new connection. */
  private interface Connector {
    Connection open() throws IOException;
  }

  private final Connector connector;
  private final String hostHeader;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  private HttpWire(Connector connector, String hostHeader) {
    this.connector = connector;
    this.hostHeader = hostHeader;
  }

  /** A unix domain socket, e.g. {@code /var/run/docker.sock}. */
  public static HttpWire unix(Path socket) {
    return new HttpWire(
        () -> {
          SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
          try {
            channel.connect(UnixDomainSocketAddress.of(socket));
          } catch (IOException e) {
            channel.close();
            throw e;
          }
          return new Connection(new ChannelIn(channel), new ChannelOut(channel), channel);
        },
        "localhost");
  }

  /**
   * TCP, with TLS when {@code tls} is not null.
   *
   * @param verifyHostname check that the server's certificate names {@code host} (as HTTPS does)
   * @param readTimeoutMillis longest wait for a byte of the response; 0 waits forever
   */
  public static HttpWire tcp(
      String host, int port, SSLContext tls, boolean verifyHostname, int connectTimeoutMillis, int readTimeoutMillis) {
    return new HttpWire(
        () -> {
          Socket socket = new Socket();
          try {
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls != null) {
              SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
              if (verifyHostname) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
              }
              ssl.startHandshake();
              socket = ssl;
            }
            return new Connection(socket.getInputStream(), socket.getOutputStream(), socket);
          } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
          }
        },
        host.contains(":") ? "[" + host + "]:" + port : host + ":" + port);
  }

  /** A request with no body or a small one. */
  public Response send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
    Connection pooled = idle.pollFirst();
    if (pooled != null) {
      try {
        return exchange(pooled, method, target, headers, body, null);
      } catch (StaleConnection e) {
        // The server closed the kept-alive connection meanwhile; a fresh one gets the request.
      }
    }
    return exchange(connector.open(), method, target, headers, body, null);
  }

  /** A request whose body is streamed (chunked) from {@code body}, on a fresh connection. */
  public Response stream(String method, String target, Map<String, String> headers, InputStream body) throws IOException {
    return exchange(connector.open(), method, target, headers, null, body);
  }

  public Response get(String target) throws IOException {
    return send("GET", target, Map.of(), null);
  }

  private Response exchange(
      Connection c, String method, String target, Map<String, String> headers, byte[] body, InputStream stream)
      throws IOException {
    boolean reused = c.used;
    c.used = true;
    try {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(hostHeader).append("\r\n");
      head.append("User-Agent: llmstack-maven-plugin\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (stream != null) {
        head.append("Transfer-Encoding: chunked\r\n");
      } else if (body != null || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = c.out;
      try {
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        throw reused ? new StaleConnection(e) : e;
      }
      if (stream != null) {
        try (OutputStream chunked = new ChunkedOut(out)) {
          stream.transferTo(chunked);
        }
      }
      return readResponse(c, method, reused);
    } catch (IOException | RuntimeException e) {
      c.closeQuietly();
      throw e;
    }
  }

  private Response readResponse(Connection c, String method, boolean reused) throws IOException {
    while (true) {
      String statusLine;
      try {
        statusLine = readLine(c.in);
      } catch (EOFException e) {
        throw reused ? new StaleConnection(e) : new IOException("The server closed the connection without answering", e);
      }
      reused = false;
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("Not an HTTP response: " + statusLine);
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("Not an HTTP response: " + statusLine);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = readLine(c.in); !line.isEmpty(); line = readLine(c.in)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = line.substring(colon + 1).trim();
          headers.merge(name, value, (a, b) -> a + ", " + b);
        }
      }
      if (status >= 100 && status < 200) {
        continue; // 100 Continue and friends: the real answer follows
      }
      boolean keepAlive =
          parts[0].equals("HTTP/1.1") && !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
      InputStream body;
      if (method.equals("HEAD") || status == 204 || status == 304) {
        body = InputStream.nullInputStream();
      } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
        body = new ChunkedIn(c.in);
      } else if (headers.containsKey("content-length")) {
        body = new LengthIn(c.in, Long.parseLong(headers.get("content-length")));
      } else {
        body = c.in;
        keepAlive = false;
      }
      return new Response(status, headers, body, c, keepAlive);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new EOFException("end of stream in the response head");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (line.size() > 65_536) {
        throw new IOException("HTTP response head line too long");
      }
      line.write(b);
    }
  }

  private void release(Connection c) {
    if (closed) {
      c.closeQuietly();
    } else {
      idle.addFirst(c);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c; (c = idle.pollFirst()) != null; ) {
      c.closeQuietly();
    }
  }

  /** An answer; close it (or read its body to the end) so that its connection can serve again. */
  public final class Response implements Closeable {
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final Connection connection;
    private final boolean keepAlive;
    private boolean done;

    private Response(int status, Map<String, String> headers, InputStream raw, Connection connection, boolean keepAlive) {
      this.status = status;
      this.headers = headers;
      this.connection = connection;
      this.keepAlive = keepAlive;
      this.body = new InputStream() {
        @Override
        public int read() throws IOException {
          int b = raw.read();
          if (b == -1) {
            finish(true);
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = raw.read(buf, off, len);
          if (n == -1) {
            finish(true);
          }
          return n;
        }

        @Override
        public void close() {
          Response.this.close();
        }
      };
    }

    public int status() {
      return status;
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** A header's value (names are case-insensitive), or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body as a stream; its end (or {@link #close}) releases the connection. */
    public InputStream body() {
      return body;
    }

    public byte[] bytes() throws IOException {
      try (this) {
        return body.readAllBytes();
      }
    }

    public String text() throws IOException {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    public Object json() throws IOException {
      try (this) {
        return Json.parse(body);
      }
    }

    private synchronized void finish(boolean atEnd) {
      if (done) {
        return;
      }
      done = true;
      if (atEnd && keepAlive) {
        release(connection);
      } else {
        connection.closeQuietly();
      }
    }

    /**
     * Releases the connection: kept for the next request when the body was read to its end, or
     * when what is left of it is short (an error message nobody read).
     */
    @Override
    public void close() {
      synchronized (this) {
        if (done) {
          return;
        }
      }
      if (keepAlive) {
        try {
          byte[] skip = new byte[8192];
          for (int total = 0; total < 65_536; ) {
            int n = body.read(skip, 0, skip.length); // reaching the end releases the connection
            if (n == -1) {
              return;
            }
            total += n;
          }
        } catch (IOException e) {
          // closed below
        }
      }
      finish(false);
    }
  }

  // ------------------------------------------------------------------ connections and framing

  private static final class Connection {
    final InputStream in;
    final OutputStream out;
    final Closeable resource;
    boolean used;

    Connection(InputStream in, OutputStream out, Closeable resource) {
      this.in = new BufferedInputStream(in, 16 * 1024);
      this.out = new BufferedOutputStream(out, 64 * 1024);
      this.resource = resource;
    }

    void closeQuietly() {
      try {
        resource.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
  }

  /** A pooled connection the server had closed: the request is sent again on a new one. */
  private static final class StaleConnection extends IOException {
    StaleConnection(Throwable cause) {
      super(cause);
    }
  }

  /** Reads a socket channel without holding its blocking lock, so that a writer may write meanwhile. */
  private static final class ChannelIn extends InputStream {
    private final SocketChannel channel;

    ChannelIn(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n;
      do {
        n = channel.read(ByteBuffer.wrap(b, off, len));
      } while (n == 0);
      return n;
    }
  }

  private static final class ChannelOut extends OutputStream {
    private final SocketChannel channel;

    ChannelOut(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /** Chunked transfer coding of a request body; closing writes the last chunk, not closing the socket. */
  private static final class ChunkedOut extends FilterOutputStream {
    private final byte[] buffer = new byte[64 * 1024];
    private int count;

    ChunkedOut(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (count == buffer.length) {
        flushChunk();
      }
      buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (count == buffer.length) {
          flushChunk();
        }
        int n = Math.min(len, buffer.length - count);
        System.arraycopy(b, off, buffer, count, n);
        count += n;
        off += n;
        len -= n;
      }
    }

    private void flushChunk() throws IOException {
      if (count > 0) {
        out.write((Integer.toHexString(count) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(buffer, 0, count);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        count = 0;
      }
    }

    @Override
    public void close() throws IOException {
      flushChunk();
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
  }

  private static final class LengthIn extends InputStream {
    private final InputStream in;
    private long remaining;

    LengthIn(InputStream in, long length) {
      this.in = in;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b == -1) {
        throw new EOFException("response body ended early");
      }
      remaining--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n == -1) {
        throw new EOFException("response body ended early");
      }
      remaining -= n;
      return n;
    }
  }

  private static final class ChunkedIn extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean eof;

    ChunkedIn(InputStream in) {
      this.in = in;
    }

    private boolean nextChunk() throws IOException {
      if (eof) {
        return false;
      }
      if (remaining == 0) {
        String line = readLine(in);
        int semicolon = line.indexOf(';');
        String size = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        try {
          remaining = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size '" + size + "'");
        }
        if (remaining == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          eof = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!nextChunk()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n == -1) {
        throw new EOFException("response body ended inside a chunk");
      }
      remaining -= n;
      if (remaining == 0) {
        readLine(in); // CRLF after the chunk data
      }
      return n;
    }
  }
}
