package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.ImageReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ImageSpecs checks references without jib-core; it must accept exactly what jib-core's parser accepts. */
class ImageReferenceParityTest {

  static Stream<String> references() {
    String hex = "a".repeat(64);
    return Stream.of(
        "nginx", "nginx:1.27-alpine", "library/nginx:latest", "ghcr.io/berriai/litellm:main-v1.63.14",
        "localhost:5000/llmstack/app:dev", "127.0.0.1:5000/pgvector/pgvector:pg16", "registry.example.com:443/a/b/c",
        "my-registry/app", "a__b/c--d/e.f:g", "scratch", "app@sha256:" + hex, "app:tag@sha256:" + hex,
        "x:" + "t".repeat(128), "nginx:1.27\n",
        // rejected by jib-core
        "", "Nginx", "nginx:", ":tag", "nginx:-dash", "nginx:" + "t".repeat(129), "a//b", "/a", "a/", "a:b:c",
        "app@sha256:" + hex.toUpperCase(), "app@sha256:abc", "reg_istry.io/app", "-reg.io/app", "a b", "app:tag ",
        " app", "ghcr.io/Upper/app", "a..b", "a._b", "app@md5:" + "a".repeat(32), "nginx\n:1");
  }

  @ParameterizedTest
  @MethodSource("references")
  void sameAsJib(String reference) {
    boolean jib;
    try {
      ImageReference.parse(reference);
      jib = true;
    } catch (Exception e) {
      jib = false;
    }
    assertThat(ImageSpecs.isValidReference(reference)).as("'%s'", reference).isEqualTo(jib);
  }
}
