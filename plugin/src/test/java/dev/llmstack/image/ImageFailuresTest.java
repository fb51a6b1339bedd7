package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.error.StackFailureException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImageFailuresTest {

  @Test
  @DisplayName("images that failed for the same cause get one message naming them all")
  void sameCauseOnce() {
    // Given three images offline without their (shared) base in the cache
    ImageFailures failures = new ImageFailures();
    for (String image : List.of("api", "web", "db")) {
      failures.add(image, new ConfigurationException(
          "Maven is offline (-o) and base image busybox:standin of image '" + image + "' is not in the cache.",
          "Build once without -o."));
    }

    // When grouped by cause
    List<LlmstackException> causes = failures.byCause();

    // Then there is one message, naming the three images
    assertThat(causes).singleElement().extracting(Throwable::getMessage).isEqualTo(
        "Maven is offline (-o) and base image busybox:standin of images 'api', 'web' and 'db' is not in the cache."
            + " Build once without -o.");
    assertThat(causes.get(0)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  @DisplayName("different causes stay apart, in the order of the images, each keeping its kind")
  void differentCauses() {
    ImageFailures failures = new ImageFailures();
    failures.add("api", new StackFailureException("The Docker daemon refused image 'api': no space.", "Free disk space."));
    failures.add("web", new ConfigurationException("Image 'web': layer source /x contains a FIFO.", "Remove it."));
    failures.add("db", new StackFailureException("The Docker daemon refused image 'db': no space.", "Free disk space."));

    List<LlmstackException> causes = failures.byCause();

    assertThat(causes).extracting(Throwable::getMessage).containsExactly(
        "The Docker daemon refused images 'api' and 'db': no space. Free disk space.",
        "Image 'web': layer source /x contains a FIFO. Remove it.");
    assertThat(causes.get(0)).isInstanceOf(StackFailureException.class);
  }
}
