package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class BuildTargetTest {

  @ParameterizedTest
  @CsvSource({"docker, DOCKER", "DOCKER, DOCKER", "Registry, REGISTRY", "tar, TAR", "'  Tar ', TAR"})
  @DisplayName("parses a target whatever its case and surrounding blanks")
  void parses(String value, BuildTarget expected) {
    assertThat(BuildTarget.parse(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(BuildTarget.class)
  @DisplayName("parses its own label back")
  void roundTrip(BuildTarget target) {
    assertThat(BuildTarget.parse(target.label())).isEqualTo(target);
    assertThat(target.label()).isEqualTo(target.name().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  @DisplayName("refuses an unknown target, quoting it and listing the valid ones")
  void unknown() {
    assertThatThrownBy(() -> BuildTarget.parse("podman"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'podman'")
        .hasMessageContaining("<target>")
        .hasMessageContaining("-Dllmstack.target")
        .hasMessageContaining("docker, registry, tar");
  }

  @Test
  @DisplayName("refuses a missing target with the same message, not a NullPointerException")
  void nullValue() {
    assertThatThrownBy(() -> BuildTarget.parse(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("docker, registry, tar");
  }
}
