package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputDigestSymlinkTest {

  @TempDir Path dir;

  @Test
  @DisplayName("changes when the content behind a symlinked file in the layer changes (Jib copies the target's content)")
  void symlinkedFileContent() throws IOException {
    // Given a layer directory with a symlink to a file outside it
    Path shared = Files.writeString(Files.createDirectories(dir.resolve("shared")).resolve("model.yaml"), "a: 1\n");
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.createSymbolicLink(config.resolve("model.yaml"), Path.of("../shared/model.yaml"));
    String before = InputDigest.of(spec(config), "0.1.0");

    // When the linked file is edited
    Files.writeString(shared, "a: 2\n");

    // Then the digest changes, as the image's content would
    assertThat(InputDigest.of(spec(config), "0.1.0")).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when a file inside a symlinked layer source directory changes")
  void symlinkedSourceDirectory() throws IOException {
    // Given a layer source that is a symlink to a directory (e.g. config -> config-v2)
    Path real = Files.createDirectories(dir.resolve("config-v2"));
    Files.writeString(real.resolve("config.yaml"), "a: 1\n");
    Path config = Files.createSymbolicLink(dir.resolve("config"), Path.of("config-v2"));
    String before = InputDigest.of(spec(config), "0.1.0");

    // When a file in the linked directory is edited
    Files.writeString(real.resolve("config.yaml"), "a: 2\n");

    // Then the digest changes
    assertThat(InputDigest.of(spec(config), "0.1.0")).isNotEqualTo(before);
  }

  private static ImageSpec spec(Path source) {
    return new ImageSpec(
        "litellm", "litellm", "nginx:1.27-alpine",
        List.of(new LayerSpec(source, "/app", "644", "755")),
        List.of(), null, Map.of(), List.of(), Map.of(), null, null);
  }
}
