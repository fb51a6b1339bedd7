package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrySettingsTest {

  private static final List<String> HUB_MIRRORS = List.of("mirror.example:5000", "mirror2.example");

  @ParameterizedTest
  @ValueSource(strings = {"docker.io", "registry-1.docker.io", "index.docker.io"})
  @DisplayName("finds Docker Hub mirrors configured under docker.io by any of Docker Hub's names")
  void hubAliasesFromDockerIo(String registry) {
    // Given mirrors for docker.io
    RegistrySettings settings = mirrors(Map.of("docker.io", HUB_MIRRORS));

    // When asking under any of Docker Hub's names
    // Then the docker.io mirrors are returned
    assertThat(settings.mirrorsOf(registry)).containsExactlyElementsOf(HUB_MIRRORS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker.io", "registry-1.docker.io", "index.docker.io"})
  @DisplayName("finds Docker Hub mirrors configured under registry-1.docker.io by any of Docker Hub's names")
  void hubAliasesFromRegistry1(String registry) {
    RegistrySettings settings = mirrors(Map.of("registry-1.docker.io", HUB_MIRRORS));

    assertThat(settings.mirrorsOf(registry)).containsExactlyElementsOf(HUB_MIRRORS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker.io", "registry-1.docker.io", "index.docker.io"})
  @DisplayName("finds Docker Hub mirrors configured under index.docker.io by any of Docker Hub's names")
  void hubAliasesFromIndex(String registry) {
    RegistrySettings settings = mirrors(Map.of("index.docker.io", HUB_MIRRORS));

    assertThat(settings.mirrorsOf(registry)).containsExactlyElementsOf(HUB_MIRRORS);
  }

  @Test
  @DisplayName("prefers mirrors configured under the exact name asked for")
  void exactNameFirst() {
    RegistrySettings settings =
        mirrors(Map.of("docker.io", List.of("a.example"), "registry-1.docker.io", List.of("b.example")));

    assertThat(settings.mirrorsOf("registry-1.docker.io")).containsExactly("b.example");
    assertThat(settings.mirrorsOf("docker.io")).containsExactly("a.example");
  }

  @Test
  @DisplayName("does not apply Docker Hub mirrors to other registries, nor other mirrors to Docker Hub")
  void otherRegistries() {
    RegistrySettings settings = mirrors(Map.of("docker.io", HUB_MIRRORS, "ghcr.io", List.of("ghcr-mirror.example")));

    assertThat(settings.mirrorsOf("ghcr.io")).containsExactly("ghcr-mirror.example");
    assertThat(settings.mirrorsOf("quay.io")).isEmpty();
    assertThat(settings.mirrorsOf("docker.io.evil.example")).isEmpty();
    assertThat(mirrors(Map.of("ghcr.io", List.of("x"))).mirrorsOf("docker.io")).isEmpty();
  }

  @Test
  @DisplayName("knows insecure registries and credentials by registry, and none() has neither")
  void insecureAndCredentials() {
    RegistryCredential login = new RegistryCredential("me", "secret", "settings.xml server 'localhost:5001'");
    RegistrySettings settings =
        new RegistrySettings(Map.of(), Set.of("localhost:5000"), Map.of("localhost:5001", login));

    assertThat(settings.isInsecure("localhost:5000")).isTrue();
    assertThat(settings.isInsecure("localhost:5001")).isFalse();
    assertThat(settings.credentialFor("localhost:5001")).contains(login);
    assertThat(settings.credentialFor("localhost:5000")).isEmpty();
    assertThat(RegistrySettings.none().mirrorsOf("docker.io")).isEmpty();
    assertThat(RegistrySettings.none().isInsecure("localhost:5000")).isFalse();
  }

  @Test
  @DisplayName("never shows a credential's password in toString")
  void credentialToString() {
    RegistryCredential login = new RegistryCredential("me", "s3cr3t-pw", "settings.xml server 'r'");

    assertThat(login.toString()).contains("me").doesNotContain("s3cr3t-pw");
    assertThat(new RegistrySettings(Map.of(), Set.of(), Map.of("r", login)).toString()).doesNotContain("s3cr3t-pw");
  }

  private static RegistrySettings mirrors(Map<String, List<String>> mirrors) {
    return new RegistrySettings(mirrors, Set.of(), Map.of());
  }
}
