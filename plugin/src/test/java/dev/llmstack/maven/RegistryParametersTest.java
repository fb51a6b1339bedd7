package dev.llmstack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryParametersTest {

  @Test
  @DisplayName("reads registry=mirror entries, trimming blanks")
  void parses() {
    // Given mirror entries for two registries
    List<String> entries = List.of("docker.io=mirror.example:5000", "  ghcr.io = ghcr-mirror.example  ");

    // When they are parsed
    Map<String, List<String>> mirrors = RegistryParameters.parseMirrors(entries);

    // Then each registry maps to its mirror
    assertThat(mirrors)
        .containsOnlyKeys("docker.io", "ghcr.io")
        .containsEntry("docker.io", List.of("mirror.example:5000"))
        .containsEntry("ghcr.io", List.of("ghcr-mirror.example"));
  }

  @Test
  @DisplayName("accumulates repeated registries' mirrors in order")
  void accumulates() {
    Map<String, List<String>> mirrors =
        RegistryParameters.parseMirrors(List.of("docker.io=a.example", "ghcr.io=g.example", "docker.io=b.example"));

    assertThat(mirrors.get("docker.io")).containsExactly("a.example", "b.example");
    assertThat(mirrors.get("ghcr.io")).containsExactly("g.example");
    assertThat(mirrors.keySet()).containsExactly("docker.io", "ghcr.io");
  }

  @Test
  @DisplayName("skips null and blank entries, and reads no list as no mirrors")
  void blanks() {
    assertThat(RegistryParameters.parseMirrors(null)).isEmpty();
    assertThat(RegistryParameters.parseMirrors(Arrays.asList(null, "", "   "))).isEmpty();
  }

  @Test
  @DisplayName("keeps everything after the first '=' as the mirror")
  void firstEquals() {
    assertThat(RegistryParameters.parseMirrors(List.of("docker.io=mirror.example/path?x=y")))
        .containsEntry("docker.io", List.of("mirror.example/path?x=y"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker.io", "=mirror.example", "docker.io=", "docker.io=   ", "  =mirror.example"})
  @DisplayName("refuses a malformed entry, quoting it and naming the registry=mirror form")
  void malformed(String entry) {
    assertThatThrownBy(() -> RegistryParameters.parseMirrors(List.of("ghcr.io=ok.example", entry)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + entry.trim() + "'")
        .hasMessageContaining("registry=mirror")
        .hasMessageContaining("<registryMirror>")
        .hasMessageContaining("docker.io=mirror.example:5000");
  }
}
