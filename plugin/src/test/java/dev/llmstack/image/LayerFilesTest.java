package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LayerFilesTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS) // a FIFO that is opened blocks forever
  @DisplayName("a FIFO fails at once, naming the file and the fix, without being opened")
  void fifo() throws Exception {
    // Given a layer directory with a named pipe nobody writes to
    Path app = app();
    Path fifo = mkfifo(app.resolve("run/ctl.fifo"));

    // When the layer is listed, and when the whole input digest is computed
    // Then both fail within the time limit, naming the FIFO and how to leave it out
    assertThatThrownBy(() -> LayerFiles.scan(layer(app), "web"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Image 'web': layer source " + app)
        .hasMessageContaining("contains a FIFO (named pipe) at " + fifo)
        .hasMessageContaining("Remove it, or exclude it with <layer><excludes><exclude>run/ctl.fifo</exclude>");
    assertThatThrownBy(() -> InputDigest.of(spec(layer(app)), "0.1.0")).hasMessageContaining("FIFO");
  }

  @Test
  @DisplayName("a unix socket fails at once, naming it")
  void socket() throws Exception {
    Path app = app();
    Path socket = app.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));

      assertThatThrownBy(() -> LayerFiles.scan(layer(app), "web"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("contains a unix socket at " + socket)
          .hasMessageContaining("<exclude>agent.sock</exclude>");
    }
  }

  @Test
  @DisplayName("a link to a device (here /dev/null) fails, saying it was reached through a link")
  void device() throws IOException {
    Path app = app();
    Path link = Files.createSymbolicLink(app.resolve("null"), Path.of("/dev/null"));

    assertThatThrownBy(() -> LayerFiles.scan(layer(app), "web"))
        .hasMessageContaining("contains a character device at " + link + " (reached through a symbolic link)");
  }

  @Test
  @DisplayName("a dangling link names the link and its missing target")
  void danglingLink() throws IOException {
    Path app = app();
    Path link = Files.createSymbolicLink(app.resolve("current"), Path.of("releases/v2"));

    assertThatThrownBy(() -> LayerFiles.scan(layer(app), "web"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("has a dangling symbolic link " + link + " -> releases/v2")
        .hasMessageContaining("Create the target, remove the link, or exclude it");
  }

  @Test
  @DisplayName("a link back to a parent directory is a loop, named, not an endless walk")
  void loop() throws IOException {
    Path app = app();
    Files.createSymbolicLink(app.resolve("sub/up"), Path.of(".."));

    assertThatThrownBy(() -> LayerFiles.scan(layer(app), "web"))
        .hasMessageContaining("has a symbolic link loop at " + app.resolve("sub/up"));
  }

  @Test
  @DisplayName("links are followed as Jib follows them; excluded paths are not looked at, a FIFO among them")
  void linksFollowedAndExcludesSkipped() throws Exception {
    // Given links to a file and a directory outside the source, and a FIFO and a cache directory excluded
    Path app = app();
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.writeString(shared.resolve("model.yaml"), "a: 1\n");
    Files.createSymbolicLink(app.resolve("model.yaml"), shared.resolve("model.yaml"));
    Files.createSymbolicLink(app.resolve("shared"), shared);
    mkfifo(app.resolve("run/ctl.fifo"));
    Files.createDirectories(app.resolve(".cache/x"));
    Files.writeString(app.resolve(".cache/x/big.bin"), "cached");
    LayerSpec layer = new LayerSpec(app, "/app", "644", "755", List.of("**/*.fifo", ".cache"));

    // When listed
    List<String> listed = LayerFiles.scan(layer, "web").stream().map(LayerFiles.Entry::relative).toList();

    // Then the links' targets are listed under the links' names, and nothing excluded is
    assertThat(listed)
        .containsExactly("", "config.yaml", "model.yaml", "run", "shared", "shared/model.yaml", "sub", "sub/prompt.txt");
  }

  @Test
  @DisplayName("an unreadable file is named with its permissions (as root, who reads anything, checked as user nobody)")
  void unreadable() throws Exception {
    Path app = app();
    Path secret = app.resolve("config.yaml");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

    String said = "root".equals(System.getProperty("user.name")) ? scanAsNobody(app) : messageOf(app);

    assertThat(said).contains("the file " + secret + " cannot be read by this build's user (---------, owner");
  }

  private static String messageOf(Path app) {
    try {
      return "listed " + LayerFiles.scan(layer(app), "web").size();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  /** The same scan in a JVM started as user nobody (setpriv, util-linux), who may enter the directories. */
  private String scanAsNobody(Path app) throws Exception {
    for (Path d : List.of(dir, app, app.resolve("sub"), app.resolve("run"))) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    String classpath = Path.of(LayerFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        + ":" + Path.of(ScanLayerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, ScanLayerMain.class.getName(),
        app.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the scan as nobody ended").isTrue();
    return out;
  }

  private Path app() throws IOException {
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("config.yaml"), "model_list: []\n");
    Files.createDirectories(app.resolve("sub"));
    Files.createDirectories(app.resolve("run"));
    Files.writeString(app.resolve("sub/prompt.txt"), "hello\n");
    return app;
  }

  static Path mkfifo(Path path) throws Exception {
    Files.createDirectories(path.getParent());
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    return path;
  }

  private static LayerSpec layer(Path source) {
    return new LayerSpec(source, "/app", "644", "755");
  }

  private static ImageSpec spec(LayerSpec layer) {
    return new ImageSpec("web", "web", "nginx:1.27-alpine", List.of(layer), List.of(), null, java.util.Map.of(),
        List.of(), java.util.Map.of(), null, null);
  }
}
