package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRecordRobustnessTest {

  @TempDir Path dir;

  @Test
  @DisplayName("reads a file holding JSON null as an empty record, not null")
  void jsonNull() throws IOException {
    Path file = Files.writeString(dir.resolve(BuildRecord.FILE_NAME), "null");

    BuildRecord read = BuildRecord.read(file);

    assertThat(read).isNotNull();
    assertThat(read.images()).isEmpty();
  }

  @Test
  @DisplayName("reads a file without an images list as an empty record that can be searched")
  void noImages() throws IOException {
    Path file = Files.writeString(dir.resolve(BuildRecord.FILE_NAME), "{}");

    BuildRecord read = BuildRecord.read(file);

    assertThat(read.images()).isNotNull().isEmpty();
    assertThat(read.find("litellm")).isEmpty();
  }
}
