package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.llmstack.digest.FileHashCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JibLayerEntriesTest {

  @TempDir Path dir;

  @Test
  @DisplayName("the layer made from the listed files has the entries jib-core's own recursive walk gives")
  void sameEntriesAsJibsWalk() throws Exception {
    // Given a tree with nested directories, an empty one and a link to a file elsewhere
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(app.resolve("a.txt"), "a");
    Files.createDirectories(app.resolve("lib/x"));
    Files.writeString(app.resolve("lib/x/m.js"), "m");
    Files.createDirectories(app.resolve("empty"));
    Files.writeString(dir.resolve("outside.yaml"), "o");
    Files.createSymbolicLink(app.resolve("linked.yaml"), dir.resolve("outside.yaml"));
    ImageSpec spec = spec(app);

    // When our layer and Jib's addEntryRecursive layer are made
    InputDigest.Inputs inputs = InputDigest.inputs(spec, "0.1.0", FileHashCache.none());
    FileEntriesLayer ours = (FileEntriesLayer) JibContainerFactory.containerFor(spec, inputs, RegistryImage.named("nginx:1"))
        .toContainerBuildPlan().getLayers().get(0);
    FileEntriesLayer jibs = jibsOwnWalk(app);

    // Then they hold the same entries (source, path in the image, permissions, time)
    assertThat(ours.getEntries().stream().map(JibLayerEntriesTest::describe).sorted().toList())
        .isEqualTo(jibs.getEntries().stream().map(JibLayerEntriesTest::describe).sorted().toList())
        .hasSize(7);
  }

  @Test
  @DisplayName("a source of 5,000 files becomes several layers that together hold exactly jib-core's entries")
  void largeSourceSplitIntoLayers() throws Exception {
    // Given 5,000 files in 50 directories
    Path app = Files.createDirectories(dir.resolve("big"));
    for (int p = 0; p < 50; p++) {
      Path pkg = Files.createDirectories(app.resolve("pkg-" + p));
      for (int f = 0; f < 100; f++) {
        Files.writeString(pkg.resolve("m" + f + ".js"), "x" + f);
      }
    }
    ImageSpec spec = spec(app);

    // When the container plan is made
    InputDigest.Inputs inputs = InputDigest.inputs(spec, "0.1.0", FileHashCache.none());
    List<FileEntriesLayer> layers = JibContainerFactory.containerFor(spec, inputs, RegistryImage.named("nginx:1"))
        .toContainerBuildPlan().getLayers().stream().map(FileEntriesLayer.class::cast).toList();
    FileEntriesLayer jibs = jibsOwnWalk(app);

    // Then there are several layers, named by part, and their entries together are Jib's (directories repeated
    // above each part with the same permissions)
    assertThat(layers).hasSizeGreaterThan(1);
    assertThat(layers.get(0).getName()).isEqualTo("web /srv/app (1/" + layers.size() + ")");
    java.util.Set<String> union = new java.util.TreeSet<>();
    layers.forEach(l -> l.getEntries().forEach(e -> union.add(describe(e))));
    assertThat(union).isEqualTo(new java.util.TreeSet<>(jibs.getEntries().stream().map(JibLayerEntriesTest::describe).toList()));
  }

  private static ImageSpec spec(Path source) {
    LayerSpec layer = new LayerSpec(source, "/srv/app", "640", "750");
    return new ImageSpec("web", "web", "nginx:1", List.of(layer), List.of(), null, Map.of(), List.of(), Map.of(), null, null);
  }

  /** What jib-core's addEntryRecursive makes of the source, with the same permissions. */
  private static FileEntriesLayer jibsOwnWalk(Path source) throws java.io.IOException {
    return FileEntriesLayer.builder()
        .addEntryRecursive(source, AbsoluteUnixPath.get("/srv/app"),
            (file, inImage) -> Files.isDirectory(file)
                ? FilePermissions.fromOctalString("750") : FilePermissions.fromOctalString("640"))
        .build();
  }

  private static String describe(FileEntry e) {
    return e.getSourceFile() + " -> " + e.getExtractionPath() + " " + e.getPermissions().toOctalString() + " "
        + e.getModificationTime() + " " + e.getOwnership();
  }
}
