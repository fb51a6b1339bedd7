package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.LogEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JibSettingsTest {

  @Test
  @DisplayName("jib-core's line per layer file is dropped; its other lines, and any warning, are kept")
  void fileListingDropped() {
    assertThat(JibSettings.isFileListing(LogEvent.info("\t\t/work/app/files/r2r/site-packages/pkg-0001/m00001.js"))).isTrue();

    assertThat(JibSettings.isFileListing(LogEvent.info("Containerizing application with the following files:"))).isFalse();
    assertThat(JibSettings.isFileListing(LogEvent.info("\tR2r /app:"))).isFalse(); // the layer's name stays
    assertThat(JibSettings.isFileListing(LogEvent.warn("\t\tsomething Jib warns about"))).isFalse();
  }
}
