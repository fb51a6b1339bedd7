package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.image.TarballLayers.LayerFile;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TarballLayersTest {

  private static final List<LayerFile> NEW =
      List.of(new LayerFile("b1.tar.gz", "sha256:d1"), new LayerFile("b2.tar.gz", "sha256:d2"), new LayerFile("a1.tar.gz", "sha256:d3"));

  @Test
  @DisplayName("leaves out the files of the shared prefix of layers (same chain IDs), not more")
  void sharedPrefix() {
    // Given the daemon holds the previous build: same base layers, another app layer
    List<String> daemon = List.of("sha256:d1", "sha256:d2", "sha256:old");
    // Then only the base layers' files are left out
    assertThat(TarballLayers.alreadyInDaemon(NEW, daemon)).containsExactly("b1.tar.gz", "b2.tar.gz");
  }

  @Test
  @DisplayName("a layer equal to one the daemon holds at another position is still sent (its chain ID differs)")
  void samLayerElsewhere() {
    assertThat(TarballLayers.alreadyInDaemon(NEW, List.of("sha256:other", "sha256:d2", "sha256:d3"))).isEmpty();
  }

  @Test
  @DisplayName("nothing in the daemon: everything is sent")
  void nothing() {
    assertThat(TarballLayers.alreadyInDaemon(NEW, List.of())).isEmpty();
  }
}
