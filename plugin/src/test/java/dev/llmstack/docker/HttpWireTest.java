package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpWireTest {

  @TempDir Path dir;

  @Test
  @DisplayName("unix socket: sized and chunked answers, one kept-alive connection for several requests")
  void unixKeepAlive() throws Exception {
    try (FakeHttpServer server = FakeHttpServer.unix(dir.resolve("s.sock"), (r, out) ->
            r.target().equals("/chunked")
                ? FakeHttpServer.respondChunked(out, 200, "{\"a\":", "[1,2]", "}")
                : FakeHttpServer.respond(out, r.target().equals("/missing") ? 404 : 200, "{\"path\":\"" + r.target() + "\"}"));
        HttpWire http = HttpWire.unix(dir.resolve("s.sock"))) {

      assertThat(Json.string(http.get("/one").json(), "path")).isEqualTo("/one");
      assertThat(Json.array(http.get("/chunked").json(), "a")).containsExactly(1L, 2L);
      try (HttpWire.Response missing = http.get("/missing")) {
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.ok()).isFalse();
      }
      assertThat(http.get("/two").text()).isEqualTo("{\"path\":\"/two\"}");

      assertThat(server.requests.get()).isEqualTo(4);
      assertThat(server.connections.get()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a kept-alive connection the server has closed is replaced, and the request answered")
  void staleConnection() throws Exception {
    try (FakeHttpServer server = FakeHttpServer.tcp(null, false, (r, out) -> {
          FakeHttpServer.respond(out, 200, "ok");
          return false; // closes without saying Connection: close
        });
        HttpWire http = HttpWire.tcp("127.0.0.1", server.port(), null, true, 2_000, 5_000)) {

      assertThat(http.get("/a").text()).isEqualTo("ok");
      Thread.sleep(50);
      assertThat(http.get("/b").text()).isEqualTo("ok");

      assertThat(server.connections.get()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("streams a request body in chunks; an answer without length is read to the end of the connection")
  void streamedUpload() throws Exception {
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    try (FakeHttpServer server = FakeHttpServer.tcp(null, false, (r, out) -> {
          out.write(("HTTP/1.1 200 OK\r\n\r\n" + r.body().length + " " + java.util.Arrays.hashCode(r.body()) + " "
              + r.headers().get("content-type")).getBytes(StandardCharsets.US_ASCII));
          return false;
        });
        HttpWire http = HttpWire.tcp("127.0.0.1", server.port(), null, true, 2_000, 5_000)) {

      String answer = http.stream("POST", "/load", Map.of("Content-Type", "application/x-tar"),
          new ByteArrayInputStream(payload)).text();

      assertThat(answer).isEqualTo(payload.length + " " + java.util.Arrays.hashCode(payload) + " application/x-tar");
    }
  }

  @Test
  @DisplayName("a missing socket or a closed port fails on connect")
  void unreachable() {
    try (HttpWire http = HttpWire.unix(dir.resolve("none.sock"))) {
      assertThatThrownBy(() -> http.get("/_ping")).isInstanceOf(IOException.class);
    }
    try (HttpWire http = HttpWire.tcp("127.0.0.1", 1, null, true, 2_000, 2_000)) {
      assertThatThrownBy(() -> http.get("/_ping")).isInstanceOf(java.net.ConnectException.class);
    }
  }
}
