package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BuildSummaryTest {

  @Test
  @DisplayName("prints a header and one row per image, in columns")
  void table() {
    // Given two images, one in a daemon and one pushed (size unknown)
    List<BuiltImage> images =
        List.of(
            image("litellm", "litellm:0123456789ab", 2_621_440, 3.25, true),
            image("ollama-proxy", "localhost:5000/llmstack/ollama-proxy:ba9876543210", -1, 0.04, false));

    // When the summary is made
    List<String> lines = BuildSummary.lines(images);

    // Then there is a header and a row per image
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("IMAGE").contains("REFERENCE", "SIZE", "TIME", "CHANGED");
    assertThat(lines.get(1)).startsWith("litellm ").contains("litellm:0123456789ab", "2.5 MB", "3.3 s").endsWith("yes");
    assertThat(lines.get(2))
        .startsWith("ollama-proxy  localhost:5000/llmstack/ollama-proxy:ba9876543210")
        .contains("0.0 s")
        .endsWith("no");

    // And each column starts at the same position on every line
    for (String[] column :
        List.of(
            new String[] {"REFERENCE", "litellm:0123456789ab", "localhost:5000/"},
            new String[] {"SIZE", "2.5 MB", "-"},
            new String[] {"TIME", "3.3 s", "0.0 s"},
            new String[] {"CHANGED", "yes", "no"})) {
      int start = lines.get(0).indexOf(column[0]);
      assertThat(lines.get(1).indexOf(column[1], start)).as(column[0]).isEqualTo(start);
      assertThat(lines.get(2).indexOf(column[2], start)).as(column[0]).isEqualTo(start);
    }
    // And columns are separated by two blanks, without trailing blanks
    assertThat(lines.get(0)).startsWith("IMAGE" + " ".repeat(7 + 2) + "REFERENCE");
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
  }

  @Test
  @DisplayName("prints only the header when nothing was built")
  void empty() {
    assertThat(BuildSummary.lines(List.of())).containsExactly("IMAGE  REFERENCE  SIZE  SENT  TIME  CHANGED");
  }

  @Test
  @DisplayName("shows sizes in kB below one MiB, MB above, and '-' when unknown")
  void sizes() {
    assertThat(BuildSummary.size(-1)).isEqualTo("-");
    assertThat(BuildSummary.size(0)).isEqualTo("0.0 kB");
    assertThat(BuildSummary.size(1536)).isEqualTo("1.5 kB");
    assertThat(BuildSummary.size(1024 * 1024 - 1)).isEqualTo("1024.0 kB");
    assertThat(BuildSummary.size(1024 * 1024)).isEqualTo("1.0 MB");
    assertThat(BuildSummary.size(150L * 1024 * 1024 * 1024)).isEqualTo("153600.0 MB");
  }

  @Test
  @DisplayName("uses a dot for decimals whatever the default locale")
  void locale() {
    java.util.Locale saved = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.GERMANY);
      List<String> lines = BuildSummary.lines(List.of(image("a", "a:1", 1536, 1.5, true)));
      assertThat(lines.get(1)).contains("1.5 kB", "1.5 s");
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  static BuiltImage image(String name, String reference, long size, double seconds, boolean changed) {
    return new BuiltImage(
        name, reference, name + ":dev", "sha256:" + "0".repeat(64), "digest", "daemon", size, size, seconds, changed);
  }
}
