package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageSpecsTest {

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws IOException {
    config = Files.writeString(dir.resolve("config.yaml"), "model_list: []\n");
  }

  @Test
  @DisplayName("accepts a valid stack")
  void valid() {
    // Given two valid images
    List<ImageSpec> images =
        List.of(
            new Spec().build(),
            new Spec().name("ollama").from("ghcr.io/example/ollama:0.6@sha256:" + "a".repeat(64)).ports("11434/tcp", "53/udp").build());

    // Then validation passes
    assertThatCode(() -> ImageSpecs.validate(images)).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("refuses an empty list, saying how to add an image")
  void empty() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No images")
        .hasMessageContaining("<images><image>");
  }

  @Test
  @DisplayName("refuses two images with the same name, naming it")
  void duplicateNames() {
    // Given two images both named litellm
    List<ImageSpec> images = List.of(new Spec().build(), new Spec().repository("other").build());

    // Then validation names the duplicate and asks for unique names
    assertThatThrownBy(() -> ImageSpecs.validate(images))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'litellm'")
        .hasMessageContaining("unique <name>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"LiteLLM", "-litellm", "lite llm", "litellm-", ""})
  @DisplayName("refuses an invalid image name, saying which characters are allowed")
  void badName(String name) {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().name(name).build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("<name>")
        .hasMessageContaining("lower-case");
  }

  @Test
  @DisplayName("refuses a missing name")
  void nullName() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().name(null).build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<name>");
  }

  @Test
  @DisplayName("refuses a missing base image, naming the image and <from>")
  void missingFrom() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().from(" ").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'litellm'")
        .hasMessageContaining("no base image")
        .hasMessageContaining("<from>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Nginx:1.27", "nginx:bad tag", "nginx::1", "nginx@sha256:short"})
  @DisplayName("refuses an invalid <from>, quoting it and showing the reference form")
  void badFrom(String from) {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().from(from).build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<from> '" + from + "'")
        .hasMessageContaining("not a valid image reference")
        .hasMessageContaining("[registry/]repository[:tag]");
  }

  @Test
  @DisplayName("refuses an invalid <repository>")
  void badRepository() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().repository("Bad Repo").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<repository> 'Bad Repo' is not a valid image reference: 'Bad Repo' has upper-case letters")
        .hasMessageContaining("A repository is lower-case letters and digits");
  }

  @ParameterizedTest
  @ValueSource(strings = {"65536", "http", "4000/http", "123456", "4000-4001", "-1", ""})
  @DisplayName("refuses a bad port, quoting it and showing the accepted forms")
  void badPort(String port) {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().ports(port).build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("port '" + port + "'")
        .hasMessageContaining("4000/tcp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"65535", "80", "53/udp", "4000/tcp", "9/sctp"})
  @DisplayName("accepts ports in the documented forms")
  void goodPort(String port) {
    assertThatCode(() -> ImageSpecs.validate(List.of(new Spec().ports(port).build()))).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("refuses a relative workdir, saying to start it with '/'")
  void relativeWorkdir() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().workdir("app").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<workdir> 'app'")
        .hasMessageContaining("not absolute")
        .hasMessageContaining("'/'");
  }

  @Test
  @DisplayName("accepts a missing layer source when reading the configuration, refuses it when the build starts")
  void missingSource() {
    Path missing = dir.resolve("nope/config.yaml");
    List<ImageSpec> images = List.of(new Spec().name("web").layer(missing, "/app/config.yaml", "644", "755").build());

    // an earlier step of the same build (npm run build) may make it after llmstack:check ran
    assertThatCode(() -> ImageSpecs.validate(images)).doesNotThrowAnyException();
    assertThat(ImageSpecs.missingSources(images)).containsExactly("Image 'web': layer source " + missing);
    assertThatThrownBy(() -> ImageSpecs.requireSources(images))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("<layer><source>");
  }

  @Test
  @DisplayName("refuses a layer without a source")
  void nullSource() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().layer(null, "/app", "644", "755").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<layer><source>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app/config.yaml", "./config.yaml", ""})
  @DisplayName("refuses a relative layer target, naming it and <layer><target>")
  void relativeTarget(String target) {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().layer(config, target, "644", "755").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("layer target '" + target + "'")
        .hasMessageContaining("config.yaml")
        .hasMessageContaining("not an absolute path")
        .hasMessageContaining("<layer><target>");
  }

  @Test
  @DisplayName("refuses a layer without a target")
  void nullTarget() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().layer(config, null, "644", "755").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<layer><target>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"888", "64", "0644", "rw-", "7777", "abc"})
  @DisplayName("refuses file permissions that are not three octal digits")
  void badFilePermissions(String permissions) {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().layer(config, "/app/config.yaml", permissions, "755").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("permissions '" + permissions + "'")
        .hasMessageContaining("three octal digits")
        .hasMessageContaining("<filePermissions>");
  }

  @Test
  @DisplayName("refuses directory permissions that are not three octal digits")
  void badDirectoryPermissions() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().layer(dir, "/app", "644", "7a5").build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("permissions '7a5'")
        .hasMessageContaining("<directoryPermissions>");
  }

  @Test
  @DisplayName("names the offending image when a later image is bad")
  void namesImage() {
    List<ImageSpec> images = List.of(new Spec().build(), new Spec().name("ollama").ports("x").build());

    assertThatThrownBy(() -> ImageSpecs.validate(images))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Image 'ollama'");
  }

  @Test
  @DisplayName("keeps the cause and the fix apart on the exception")
  void problemAndFix() {
    assertThatThrownBy(() -> ImageSpecs.validate(List.of(new Spec().workdir("app").build())))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              org.assertj.core.api.Assertions.assertThat(e.problem()).contains("not absolute");
              org.assertj.core.api.Assertions.assertThat(e.fix()).contains("'/'");
              org.assertj.core.api.Assertions.assertThat(e.getMessage()).isEqualTo(e.problem() + " " + e.fix());
            });
  }

  /** A valid spec, changed one property at a time. */
  @Test
  @DisplayName("refuses an exclude that is not a glob, naming it")
  void badExclude() {
    Spec spec = new Spec();
    spec.layers = List.of(new LayerSpec(config, "/app/config.yaml", "644", "755", List.of("[unclosed")));

    assertThatThrownBy(() -> ImageSpecs.validate(List.of(spec.build())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<exclude> '[unclosed' of layer config.yaml is not a valid glob")
        .hasMessageContaining("e.g. **/*.sock");
  }

  private final class Spec {
    private String name = "litellm";
    private String repository;
    private String from = "ghcr.io/berriai/litellm:main-v1.63.14";
    private List<LayerSpec> layers;
    private List<String> ports = List.of("4000");
    private String workdir = "/app";

    Spec name(String value) {
      name = value;
      return this;
    }

    Spec repository(String value) {
      repository = value;
      return this;
    }

    Spec from(String value) {
      from = value;
      return this;
    }

    Spec ports(String... values) {
      ports = List.of(values);
      return this;
    }

    Spec workdir(String value) {
      workdir = value;
      return this;
    }

    Spec layer(Path source, String target, String filePermissions, String directoryPermissions) {
      layers = List.of(new LayerSpec(source, target, filePermissions, directoryPermissions));
      return this;
    }

    ImageSpec build() {
      return new ImageSpec(
          name,
          repository != null ? repository : name,
          from,
          layers != null ? layers : List.of(new LayerSpec(config, "/app/config.yaml", "644", "755")),
          List.of(),
          null,
          Map.of("PORT", "4000"),
          ports,
          Map.of(),
          null,
          workdir);
    }
  }
}
