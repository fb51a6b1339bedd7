package dev.llmstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec command and tar stream a sync sends (the exec itself is tested against the rig). */
class PodSyncScriptTest {

  @Test
  void deletesThenCreatesParentsThenExtractsExactlyTheStreamsLength() {
    List<ChangePlan.SyncedFile> files = List.of(
        new ChangePlan.SyncedFile(Path.of("/p/www/a b.html"), "/www/a b.html", "644", false),
        new ChangePlan.SyncedFile(Path.of("/p/www/css/x.css"), "/www/css/x.css", "644", false),
        new ChangePlan.SyncedFile(Path.of("/p/www/it's.txt"), "/www/it's.txt", "644", true));

    assertThat(PodSync.script(files, 2048))
        .isEqualTo("rm -f -- '/www/it'\\''s.txt' && mkdir -p '/www' '/www/css' && head -c 2048 | tar -C / -xmf -");
  }

  @Test
  void onlyDeletionsNeedNoStdin() {
    List<ChangePlan.SyncedFile> files = List.of(new ChangePlan.SyncedFile(Path.of("/p/www/x"), "/www/x", "644", true));

    assertThat(PodSync.script(files, 0)).isEqualTo("rm -f -- '/www/x'");
    assertThat(PodSync.tar(List.of())).isEmpty();
  }

  @Test
  void theTarHoldsEachFileAtItsContainerPathWithTheLayersMode(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("run.sh"), "echo hi\n");
    byte[] tar = PodSync.tar(List.of(new ChangePlan.SyncedFile(file, "/app/bin/run.sh", "755", false)));

    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry entry = in.getNextEntry();
      assertThat(entry.getName()).isEqualTo("app/bin/run.sh");
      assertThat(entry.getMode() & 0777).isEqualTo(0755);
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo hi\n");
      assertThat(in.getNextEntry()).isNull();
    }
  }
}
