package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "v1.2.3", "main-v1.63.14", "_x", "A_b-C.9", "pg16"})
  @DisplayName("accepts the tags Docker accepts")
  void validTags(String tag) {
    assertThat(DockerReference.tagProblem(tag)).isEmpty();
  }

  @Test
  @DisplayName("says what is wrong with a tag, naming the parameter, the value and the rule")
  void badTags() {
    assertThat(DockerReference.tagProblem("bad tag")).contains("it contains ' ' (a space)");
    assertThat(DockerReference.tagProblem("v1:2")).contains("it contains ':'");
    assertThat(DockerReference.tagProblem("x".repeat(200))).contains("it is 200 characters long, at most 128 are allowed");
    assertThat(DockerReference.tagProblem("x".repeat(128))).isEmpty();
    assertThat(DockerReference.tagProblem(".hidden")).contains("it starts with '.'");
    assertThat(DockerReference.tagProblem("-x")).contains("it starts with '-'");
    assertThat(DockerReference.tagProblem("")).contains("it is empty");

    assertThatThrownBy(() -> DockerReference.requireTag("v1:2", "<tag> (-Dllmstack.tag)"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("<tag> (-Dllmstack.tag) 'v1:2' is not a valid Docker tag: it contains ':'. A tag is 1 to 128"
            + " letters, digits, '_', '.' and '-', not starting with '.' or '-' (Docker's reference grammar), e.g. dev"
            + " or v1.2.3.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"litellm", "berriai/litellm", "ghcr.io/berriai/litellm", "localhost:5000/a/b",
      "127.0.0.1:5000/x", "a__b", "a--b", "a.b_c", "Registry.Example.com/x", "[::1]:5000/x"})
  @DisplayName("accepts the repositories Docker accepts")
  void validRepositories(String repository) {
    assertThat(DockerReference.repositoryProblem(repository)).isEmpty();
  }

  @Test
  @DisplayName("says what is wrong with a repository")
  void badRepositories() {
    assertThat(DockerReference.repositoryProblem("LiteLLM")).contains("'LiteLLM' has upper-case letters (repositories are lower case)");
    assertThat(DockerReference.repositoryProblem("a//b")).contains("it has an empty part between '/'");
    assertThat(DockerReference.repositoryProblem("web app")).contains("it contains ' ' (a space)");
    assertThat(DockerReference.repositoryProblem("-web")).contains("'-web' must start and end with a letter or digit");
    assertThat(DockerReference.repositoryProblem("a___b")).isPresent();
    assertThat(DockerReference.repositoryProblem("x".repeat(256))).contains("it is 256 characters long, at most 255 are allowed");
    assertThat(DockerReference.repositoryProblem("bad_host:port/x")).contains("its registry 'bad_host:port' is not a host[:port]");
  }

  @Test
  @DisplayName("checks a full reference: name, tag, digest")
  void references() {
    assertThat(DockerReference.referenceProblem("nginx:1.27-alpine")).isEmpty();
    assertThat(DockerReference.referenceProblem("localhost:5000/nginx")).isEmpty();
    assertThat(DockerReference.referenceProblem("nginx@sha256:" + "a".repeat(64))).isEmpty();
    assertThat(DockerReference.referenceProblem("nginx:1.27@sha256:" + "a".repeat(64))).isEmpty();
    assertThat(DockerReference.referenceProblem("Nginx:::latest")).isPresent();
    assertThat(DockerReference.referenceProblem("nginx:" + "1".repeat(129))).get().asString()
        .startsWith("its tag '111").contains("at most 128");
    assertThat(DockerReference.referenceProblem("nginx@md5:xyz")).get().asString().contains("its digest 'md5:xyz'");
  }

  @Test
  @DisplayName("checks a registry to push to")
  void registries() {
    assertThat(DockerReference.requireRegistry("localhost:5000/llmstack", "<registry>")).isEqualTo("localhost:5000/llmstack");
    assertThat(DockerReference.requireRegistry("registry.example.com", "<registry>")).isEqualTo("registry.example.com");
    assertThatThrownBy(() -> DockerReference.requireRegistry("localhost:5000/LLMStack", "<registry> (-Dllmstack.registry)"))
        .hasMessageStartingWith("<registry> (-Dllmstack.registry) 'localhost:5000/LLMStack' is not a valid registry:")
        .hasMessageContaining("host[:port][/path]");
    assertThatThrownBy(() -> DockerReference.requireRegistry("http://localhost:5000", "<registry>"))
        .hasMessageContaining("'http:' is not a registry host[:port]");
  }
}
