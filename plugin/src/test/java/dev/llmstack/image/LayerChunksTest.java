package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.digest.FileHashCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LayerChunksTest {

  @Test
  @DisplayName("a source of up to 4,096 entries stays one layer")
  void smallStaysWhole() {
    List<LayerFiles.Entry> entries = tree(3900, -1); // 3,900 files and 101 directories

    assertThat(LayerChunks.split(entries)).singleElement().isEqualTo(entries);
  }

  @Test
  @DisplayName("20,000 entries become about 8 layers holding every entry once, each after the first opening with its directories")
  void largeIsSplit() {
    List<LayerFiles.Entry> entries = tree(20000, -1);

    List<List<LayerFiles.Entry>> chunks = LayerChunks.split(entries);

    assertThat(chunks).hasSizeBetween(4, 16);
    Set<String> union = new LinkedHashSet<>();
    chunks.forEach(c -> c.forEach(e -> union.add(e.relative())));
    assertThat(new ArrayList<>(union)).isEqualTo(entries.stream().map(LayerFiles.Entry::relative).toList());
    for (List<LayerFiles.Entry> chunk : chunks.subList(1, chunks.size())) {
      LayerFiles.Entry first = chunk.stream().filter(e -> !e.directory() || chunk.indexOf(e) > 2).findFirst().orElseThrow();
      assertThat(chunk.get(0).relative()).isEmpty(); // the source itself
      String parent = first.relative().contains("/") ? first.relative().substring(0, first.relative().lastIndexOf('/')) : "";
      assertThat(chunk.stream().map(LayerFiles.Entry::relative)).contains(parent);
    }
  }

  @Test
  @DisplayName("adding a file changes one layer's contents, not the others'")
  void insertionIsLocal() {
    List<List<LayerFiles.Entry>> before = LayerChunks.split(tree(20000, -1));
    List<List<LayerFiles.Entry>> after = LayerChunks.split(tree(20000, 9000));

    List<Set<String>> a = before.stream().map(LayerChunksTest::names).toList();
    List<Set<String>> b = after.stream().map(LayerChunksTest::names).toList();
    long changed = b.stream().filter(chunk -> !a.contains(chunk)).count();
    assertThat(changed).isBetween(1L, 2L);
  }

  /** A listing like LayerFiles': 100 package directories with files, depth first; an extra file after index {@code extraAt}. */
  private static List<LayerFiles.Entry> tree(int files, int extraAt) {
    FileHashCache.Stamp stamp = new FileHashCache.Stamp(1, 1, 7, 0644);
    List<LayerFiles.Entry> entries = new ArrayList<>();
    entries.add(new LayerFiles.Entry(Path.of("/src"), "", true, stamp));
    int perPackage = files / 100;
    for (int p = 0; p < 100; p++) {
      String dir = String.format("pkg-%03d", p);
      entries.add(new LayerFiles.Entry(Path.of("/src", dir), dir, true, stamp));
      for (int f = 0; f < perPackage; f++) {
        String name = dir + "/" + String.format("m%05d.js", p * perPackage + f);
        entries.add(new LayerFiles.Entry(Path.of("/src", name), name, false, stamp));
        if (p * perPackage + f == extraAt) {
          entries.add(new LayerFiles.Entry(Path.of("/src", name + ".new"), name + ".new", false, stamp));
        }
      }
    }
    return entries;
  }

  private static Set<String> names(List<LayerFiles.Entry> chunk) {
    Set<String> names = new LinkedHashSet<>();
    chunk.forEach(e -> names.add(e.relative()));
    return names;
  }
}
