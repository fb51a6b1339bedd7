package dev.llmstack.render;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ManifestParserEdgeCasesTest {

  @Test
  @DisplayName("a document without metadata.name is an error naming it, not a NullPointerException later")
  void noMetadata() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n";
    assertThatThrownBy(() -> ManifestParser.parse(yaml, "overlay"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 1 (ConfigMap ")
        .hasMessageContaining("no metadata.name");
  }

  @Test
  @DisplayName("a document that is plain text is an error, not skipped")
  void scalarDocument() {
    String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\njust some text\n";
    assertThatThrownBy(() -> ManifestParser.parse(yaml, "overlay"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 2")
        .hasMessageContaining("not a Kubernetes object but a single value")
        .hasMessageNotContaining("just some text"); // the text itself is not repeated: it may be a secret
  }
}
