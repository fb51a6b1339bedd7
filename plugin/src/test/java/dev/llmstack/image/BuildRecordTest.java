package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRecordTest {

  @TempDir Path dir;

  private static final BuiltImage LITELLM =
      new BuiltImage(
          "litellm", "litellm:0123456789ab", "litellm:dev", "sha256:0123456789ab" + "0".repeat(52),
          "d1", "Docker daemon unix:///var/run/docker.sock", 123_456_789L, 2_048L, 4.5, true);
  private static final BuiltImage PROXY =
      new BuiltImage(
          "proxy", "localhost:5000/llmstack/proxy:ba9876543210", "localhost:5000/llmstack/proxy:dev",
          "sha256:ba9876543210" + "1".repeat(52), "d2", "registry localhost:5000/llmstack", -1, -1, 0.25, false);

  @Test
  @DisplayName("reads back what it wrote, creating the directory")
  void roundTrip() {
    // Given a record of two images
    BuildRecord record = new BuildRecord(List.of(LITELLM, PROXY));
    Path file = dir.resolve("target/llmstack").resolve(BuildRecord.FILE_NAME);

    // When it is written and read again
    record.write(file);
    BuildRecord read = BuildRecord.read(file);

    // Then it is equal, and no temporary file is left behind
    assertThat(read).isEqualTo(record);
    assertThat(read.images()).containsExactly(LITELLM, PROXY);
    assertThat(file.resolveSibling(BuildRecord.FILE_NAME + ".tmp")).doesNotExist();
  }

  @Test
  @DisplayName("replaces an earlier record")
  void overwrite() {
    Path file = dir.resolve(BuildRecord.FILE_NAME);
    new BuildRecord(List.of(LITELLM, PROXY)).write(file);

    new BuildRecord(List.of(PROXY)).write(file);

    assertThat(BuildRecord.read(file).images()).containsExactly(PROXY);
  }

  @Test
  @DisplayName("finds images by name")
  void find() {
    BuildRecord record = new BuildRecord(List.of(LITELLM, PROXY));

    assertThat(record.find("proxy")).contains(PROXY);
    assertThat(record.find("nope")).isEmpty();
    assertThat(record.byName()).containsOnlyKeys("litellm", "proxy").containsEntry("litellm", LITELLM);
  }

  @Test
  @DisplayName("reads a missing file as an empty record")
  void missing() {
    BuildRecord read = BuildRecord.read(dir.resolve("nope").resolve(BuildRecord.FILE_NAME));

    assertThat(read.images()).isEmpty();
  }

  @Test
  @DisplayName("reads a directory in the file's place as an empty record")
  void directory() throws IOException {
    Path file = Files.createDirectories(dir.resolve(BuildRecord.FILE_NAME));

    assertThat(BuildRecord.read(file).images()).isEmpty();
  }

  @Test
  @DisplayName("reads a corrupt or truncated file as an empty record, not an exception")
  void corrupt() throws IOException {
    Path file = dir.resolve(BuildRecord.FILE_NAME);
    for (String content : List.of("", "not json", "{\"images\":[{\"name\":\"litellm\",", "[1,2,3]", "{\"images\":42}")) {
      Files.writeString(file, content);

      assertThat(BuildRecord.read(file).images()).as(content).isEmpty();
    }
  }
}
