package dev.llmstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

  @Test
  void reportsContentChangesAdditionsAndDeletionsButNotRewritesOfTheSameBytes(@TempDir Path dir) throws Exception {
    Path www = Files.createDirectories(dir.resolve("www"));
    Path same = Files.writeString(www.resolve("same.html"), "same");
    Path edited = Files.writeString(www.resolve("edited.html"), "v1");
    Path removed = Files.writeString(www.resolve("removed.html"), "bye");
    Snapshot snapshot = new Snapshot();
    snapshot.take(List.of(www));

    Files.writeString(same, "same");
    Files.setLastModifiedTime(same, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    Files.writeString(edited, "v2");
    Files.delete(removed);
    Path added = Files.writeString(Files.createDirectories(www.resolve("new")).resolve("added.html"), "hi");

    assertThat(snapshot.rescan(List.of(www)))
        .containsExactlyInAnyOrder(FileChange.modified(edited), FileChange.deleted(removed), FileChange.modified(added));
    assertThat(snapshot.rescan(List.of(www))).isEmpty();
  }

  @Test
  void aRootThatIsAFileOrIsGoneWorks(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("httpd.conf"), "a");
    Snapshot snapshot = new Snapshot();
    snapshot.take(List.of(conf));

    Files.delete(conf);
    assertThat(snapshot.rescan(List.of(conf))).containsExactly(FileChange.deleted(conf));
    Files.writeString(conf, "b");
    assertThat(snapshot.rescan(List.of(conf))).containsExactly(FileChange.modified(conf));
  }
}
