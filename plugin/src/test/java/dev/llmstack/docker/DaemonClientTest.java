package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API calls against a scripted daemon on a unix socket. */
class DaemonClientTest {

  @TempDir Path dir;

  private final List<FakeHttpServer.Request> seen = new CopyOnWriteArrayList<>();

  private FakeHttpServer daemon(String loadAnswer) throws Exception {
    return FakeHttpServer.unix(dir.resolve("docker.sock"), (r, out) -> {
      seen.add(r);
      String t = r.target();
      if (t.equals("/_ping")) {
        return FakeHttpServer.respond(out, 200, "OK");
      }
      if (t.equals("/images/llmstack/app:dev/json")) {
        return FakeHttpServer.respondChunked(out, 200, "{\"Id\":\"sha256:abc\",\"RepoTags\":[\"llmstack/app:dev\"],",
            "\"Size\":1234,\"Config\":{\"Labels\":{\"dev.llmstack.input-digest\":\"d1\"},\"Env\":null},",
            "\"RootFS\":{\"Type\":\"layers\",\"Layers\":[\"sha256:l1\",\"sha256:l2\"]}}");
      }
      if (t.startsWith("/images/") && t.endsWith("/json")) {
        return FakeHttpServer.respond(out, 404, "{\"message\":\"No such image: x\"}");
      }
      if (t.startsWith("/images/sha256:abc/tag")) {
        return FakeHttpServer.respond(out, 201, "");
      }
      if (t.startsWith("/images/load")) {
        return loadAnswer.startsWith("500 ")
            ? FakeHttpServer.respond(out, 500, loadAnswer.substring(4))
            : FakeHttpServer.respondChunked(out, 200, loadAnswer);
      }
      if (t.equals("/info")) {
        return FakeHttpServer.respond(out, 200, "{\"OSType\":\"linux\",\"Architecture\":\"x86_64\",\"Name\":\"rig\"}");
      }
      return FakeHttpServer.respond(out, 500, "{\"message\":\"unexpected " + t + "\"}");
    });
  }

  private DockerEndpoint endpoint() {
    return new DockerEndpoint("unix://" + dir.resolve("docker.sock"), false, null, "<dockerHost>");
  }

  @Test
  @DisplayName("inspects, tags, loads and asks for info, all on one kept-alive connection")
  void calls() throws Exception {
    try (FakeHttpServer server = daemon("{\"stream\":\"Loaded image: llmstack/app:dev\\n\"}\r\n");
        DaemonClient client = DaemonClient.connect(endpoint())) {

      DaemonImage image = client.inspect("llmstack/app:dev").orElseThrow();
      assertThat(image.id()).isEqualTo("sha256:abc");
      assertThat(image.size()).isEqualTo(1234);
      assertThat(image.labels()).containsEntry("dev.llmstack.input-digest", "d1");
      assertThat(image.repoTags()).containsExactly("llmstack/app:dev");
      assertThat(image.layers()).containsExactly("sha256:l1", "sha256:l2");
      assertThat(client.inspect("llmstack/other:dev")).isEmpty();
      assertThat(client.inspect("llmstack/third:dev")).isEmpty();

      client.tag("sha256:abc", "llmstack/app", "abc123456789");
      assertThat(client.info()).isEqualTo(new DaemonClient.Info("linux", "x86_64"));
      assertThat(server.connections.get()).as("one connection for ping, inspects, tag, info").isEqualTo(1);

      client.load(new ByteArrayInputStream(new byte[100_000]));
      FakeHttpServer.Request load = seen.stream().filter(r -> r.target().startsWith("/images/load")).findFirst().orElseThrow();
      assertThat(load.method()).isEqualTo("POST");
      assertThat(load.target()).isEqualTo("/images/load?quiet=1");
      assertThat(load.body()).hasSize(100_000);
      assertThat(load.headers()).containsEntry("content-type", "application/x-tar").containsEntry("transfer-encoding", "chunked");

      FakeHttpServer.Request tag = seen.stream().filter(r -> r.target().contains("/tag")).findFirst().orElseThrow();
      assertThat(tag.target()).isEqualTo("/images/sha256:abc/tag?repo=llmstack%2Fapp&tag=abc123456789&force=1");
    }
  }

  @Test
  @DisplayName("an error inside the load's progress stream is the daemon's refusal, with its message")
  void loadErrorInStream() throws Exception {
    try (FakeHttpServer server = daemon("{\"errorDetail\":{\"message\":\"open /var/lib/docker/tmp/x/layer.tar: no such file\"},"
            + "\"error\":\"open /var/lib/docker/tmp/x/layer.tar: no such file\"}");
        DaemonClient client = DaemonClient.connect(endpoint())) {
      assertThatThrownBy(() -> client.load(new ByteArrayInputStream(new byte[10])))
          .isInstanceOf(DaemonException.class)
          .hasMessage("open /var/lib/docker/tmp/x/layer.tar: no such file");
    }
  }

  @Test
  @DisplayName("an error status carries the daemon's message")
  void loadErrorStatus() throws Exception {
    try (FakeHttpServer server = daemon("500 {\"message\":\"no space left on device\"}");
        DaemonClient client = DaemonClient.connect(endpoint())) {
      assertThatThrownBy(() -> client.load(new ByteArrayInputStream(new byte[10])))
          .isInstanceOf(DaemonException.class)
          .hasMessage("Status 500: no space left on device");
    }
  }

  @Test
  @DisplayName("a daemon that is not there, an unknown scheme and TLS without certificates are configuration errors")
  void unreachable() {
    assertThatThrownBy(() -> DaemonClient.connect(endpoint()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("The Docker daemon at unix://" + dir.resolve("docker.sock") + " (<dockerHost>) is not reachable: ");
    assertThatThrownBy(() -> DaemonClient.connect(new DockerEndpoint("ssh://user@host", false, null, "DOCKER_HOST=ssh://user@host")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("only unix:// and tcp:// Docker hosts are supported");
    assertThatThrownBy(() -> DaemonClient.connect(new DockerEndpoint("tcp://127.0.0.1:1", true, dir, "<dockerHost>")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TLS is on but there is no " + dir.resolve("ca.pem"));
    assertThatThrownBy(() -> DaemonClient.connect(new DockerEndpoint("tcp://127.0.0.1:1", false, null, "<dockerHost>")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not reachable: Connection refused.");
  }

  @Test
  @DisplayName("image names go into the path as the daemon's router reads them")
  void paths() {
    assertThat(DaemonClient.path("localhost:5000/llmstack/app:dev")).isEqualTo("localhost:5000/llmstack/app:dev");
    assertThat(DaemonClient.path("a b?#")).isEqualTo("a%20b%3F%23");
  }
}
