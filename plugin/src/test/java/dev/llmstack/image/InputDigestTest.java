package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputDigestTest {

  private static final String TOOL = "0.1.0";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws IOException {
    config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("config.yaml"), "model_list: []\n");
    Files.createDirectories(config.resolve("sub"));
    Files.writeString(config.resolve("sub/prompt.txt"), "hello\n");
  }

  @Test
  @DisplayName("with the stat cache, reads only the files changed since the last build, and still sees the change")
  void readsOnlyChangedFiles() throws IOException {
    // Given files last modified an hour ago, digested once with a cache file
    java.nio.file.attribute.FileTime anHourAgo = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600));
    for (Path f : List.of(config.resolve("config.yaml"), config.resolve("sub/prompt.txt"))) {
      Files.setLastModifiedTime(f, anHourAgo);
    }
    Path cacheFile = dir.resolve("input-files.cache");
    dev.llmstack.digest.FileHashCache first = dev.llmstack.digest.FileHashCache.load(cacheFile);
    String before = InputDigest.inputs(spec(config), TOOL, first).digest();
    first.save();

    // When nothing changed, then one file is edited
    dev.llmstack.digest.FileHashCache unchanged = dev.llmstack.digest.FileHashCache.load(cacheFile);
    String same = InputDigest.inputs(spec(config), TOOL, unchanged).digest();
    Files.writeString(config.resolve("sub/prompt.txt"), "hello, edited\n");
    dev.llmstack.digest.FileHashCache edited = dev.llmstack.digest.FileHashCache.load(cacheFile);
    String after = InputDigest.inputs(spec(config), TOOL, edited).digest();

    // Then the unchanged build read nothing, the edited one read one file, and the digests say so
    assertThat(unchanged.filesRead()).isZero();
    assertThat(same).isEqualTo(before);
    assertThat(edited.filesRead()).isEqualTo(1);
    assertThat(after).isNotEqualTo(before).isEqualTo(InputDigest.of(spec(config), TOOL));
  }

  @Test
  @DisplayName("gives the same digest for the same spec and the same files")
  void stable() {
    // Given two equal specs over the same files
    ImageSpec a = spec(config);
    ImageSpec b = spec(config);

    // When both are digested
    String first = InputDigest.of(a, TOOL);
    String second = InputDigest.of(b, TOOL);

    // Then the digests are equal, hex SHA-256
    assertThat(first).isEqualTo(second).matches("[0-9a-f]{64}");
  }

  @Test
  @DisplayName("changes when a file's content changes")
  void changedContent() throws IOException {
    // Given a digest of the files
    String before = InputDigest.of(spec(config), TOOL);

    // When a file is edited
    Files.writeString(config.resolve("sub/prompt.txt"), "hello!\n");

    // Then the digest differs
    assertThat(InputDigest.of(spec(config), TOOL)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when a file is added")
  void addedFile() throws IOException {
    String before = InputDigest.of(spec(config), TOOL);

    Files.writeString(config.resolve("extra.txt"), "");

    assertThat(InputDigest.of(spec(config), TOOL)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when an empty directory is added")
  void addedDirectory() throws IOException {
    String before = InputDigest.of(spec(config), TOOL);

    Files.createDirectories(config.resolve("empty"));

    assertThat(InputDigest.of(spec(config), TOOL)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when a file is renamed, though the contents stay the same")
  void renamedFile() throws IOException {
    String before = InputDigest.of(spec(config), TOOL);

    Files.move(config.resolve("sub/prompt.txt"), config.resolve("sub/prompt2.txt"));

    assertThat(InputDigest.of(spec(config), TOOL)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when a file's executable bit is set")
  void executableBit() throws IOException {
    String before = InputDigest.of(spec(config), TOOL);

    Files.setPosixFilePermissions(config.resolve("config.yaml"), PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(InputDigest.of(spec(config), TOOL)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when an environment value changes")
  void changedEnv() {
    String before = InputDigest.of(spec(config), TOOL);

    ImageSpec changed = spec(config, "nginx:1.27-alpine", Map.of("PORT", "4001", "MODE", "dev"), "644", "755");

    assertThat(InputDigest.of(changed, TOOL)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes when the layer's file or directory permissions change")
  void changedPermissions() {
    String before = InputDigest.of(spec(config), TOOL);

    String files = InputDigest.of(spec(config, "nginx:1.27-alpine", env(), "600", "755"), TOOL);
    String dirs = InputDigest.of(spec(config, "nginx:1.27-alpine", env(), "644", "700"), TOOL);

    assertThat(files).isNotEqualTo(before);
    assertThat(dirs).isNotEqualTo(before).isNotEqualTo(files);
  }

  @Test
  @DisplayName("changes when the base image changes")
  void changedFrom() {
    String before = InputDigest.of(spec(config), TOOL);

    String after = InputDigest.of(spec(config, "nginx:1.28-alpine", env(), "644", "755"), TOOL);

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  @DisplayName("changes with the tool version")
  void changedTool() {
    assertThat(InputDigest.of(spec(config), "0.2.0")).isNotEqualTo(InputDigest.of(spec(config), TOOL));
  }

  @Test
  @DisplayName("tells an inherited cmd from an empty one")
  void inheritedCmd() {
    ImageSpec inherit = withCmd(null);
    ImageSpec empty = withCmd(List.of());

    assertThat(InputDigest.of(inherit, TOOL)).isNotEqualTo(InputDigest.of(empty, TOOL));
  }

  @Test
  @DisplayName("does not depend on the order the environment was given in")
  void envOrder() {
    // Given the same variables inserted in two orders
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("A", "1");
    ab.put("B", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("B", "2");
    ba.put("A", "1");

    // When specs with each are digested
    String first = InputDigest.of(spec(config, "nginx:1.27-alpine", ab, "644", "755"), TOOL);
    String second = InputDigest.of(spec(config, "nginx:1.27-alpine", ba, "644", "755"), TOOL);

    // Then the digests are equal (ImageSpec sorts)
    assertThat(first).isEqualTo(second);
  }

  @Test
  @DisplayName("does not depend on where the files are on disk")
  void relocatable() throws IOException {
    // Given a copy of the same tree elsewhere
    Path copy = Files.createDirectories(dir.resolve("elsewhere/config"));
    Files.writeString(copy.resolve("config.yaml"), "model_list: []\n");
    Files.createDirectories(copy.resolve("sub"));
    Files.writeString(copy.resolve("sub/prompt.txt"), "hello\n");

    // Then both digest the same
    assertThat(InputDigest.of(spec(copy), TOOL)).isEqualTo(InputDigest.of(spec(config), TOOL));
  }

  @Test
  @DisplayName("digests a single-file layer source")
  void singleFile() throws IOException {
    Path file = config.resolve("config.yaml");
    ImageSpec spec = single(file);
    String before = InputDigest.of(spec, TOOL);

    Files.writeString(file, "model_list: [x]\n");

    assertThat(InputDigest.of(single(file), TOOL)).isNotEqualTo(before);
  }

  private ImageSpec single(Path file) {
    return new ImageSpec(
        "litellm", "litellm", "nginx:1.27-alpine",
        List.of(new LayerSpec(file, "/app/config.yaml", "644", "755")),
        List.of(), null, Map.of(), List.of(), Map.of(), null, null);
  }

  private static Map<String, String> env() {
    return Map.of("PORT", "4000", "MODE", "dev");
  }

  private static ImageSpec spec(Path source) {
    return spec(source, "nginx:1.27-alpine", env(), "644", "755");
  }

  private static ImageSpec spec(Path source, String from, Map<String, String> env, String filePerm, String dirPerm) {
    return new ImageSpec(
        "litellm",
        "litellm",
        from,
        List.of(new LayerSpec(source, "/app", filePerm, dirPerm)),
        List.of("/bin/sh", "-c"),
        List.of("serve"),
        env,
        List.of("4000"),
        Map.of("org.opencontainers.image.title", "litellm"),
        "1000",
        "/app");
  }

  private ImageSpec withCmd(List<String> cmd) {
    return new ImageSpec(
        "litellm", "litellm", "nginx:1.27-alpine",
        List.of(new LayerSpec(config, "/app", "644", "755")),
        List.of(), cmd, Map.of(), List.of(), Map.of(), null, null);
  }
}
