package dev.llmstack.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

  private static final String SOURCE = "k8s/overlays/dev";

  static String resource(String name) {
    try (InputStream in = ManifestParserTest.class.getResourceAsStream("/render/" + name)) {
      assertThat(in).as("test resource /render/%s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("parses a multi-document stack into fabric8's typed classes, in document order")
  void typedObjects() {
    // Given the rendered YAML of a stack with a ConfigMap, a Secret, a Service and a Deployment
    String yaml = resource("stack.yaml");

    // When it is parsed
    List<HasMetadata> objects = ManifestParser.parse(yaml, SOURCE);

    // Then every document becomes an object of its own class, in order
    assertThat(objects)
        .extracting(Object::getClass)
        .containsExactly(ConfigMap.class, Secret.class, Service.class, Deployment.class);
    assertThat(objects).extracting(o -> o.getMetadata().getName())
        .containsExactly("litellm-config", "litellm-secrets", "litellm", "litellm");

    // And the typed fields are filled in
    Deployment deployment = (Deployment) objects.get(3);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("litellm:dev");
    assertThat(deployment.getSpec().getTemplate().getSpec().getInitContainers()).hasSize(1);
    assertThat(((Secret) objects.get(1)).getStringData()).containsEntry("LITELLM_MASTER_KEY", "sk-dev");
    assertThat(((ConfigMap) objects.get(0)).getData()).containsKey("config.yaml");
    assertThat(((Service) objects.get(2)).getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
  }

  @Test
  @DisplayName("valid manifests using many field types (probes, volumes, quantities, int-or-string, RBAC, Ingress) have no unknown fields")
  void noFalseUnknownFields() {
    // Given valid manifests of every supported kind, with fields of many shapes
    String yaml = resource("rich-valid.yaml");

    // When parsed
    List<HasMetadata> objects = ManifestParser.parse(yaml, SOURCE);

    // Then all of them come back typed, none reported as having an unknown field
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly(
        "Namespace", "ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim", "StatefulSet", "Deployment",
        "Job", "CronJob", "Ingress", "NetworkPolicy", "PodDisruptionBudget");
    assertThat(objects).allSatisfy(o -> assertThat(o).isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
  }

  @Test
  @DisplayName("a misspelt field is an error naming the document number, kind, name and the field's path")
  void misspeltField() {
    // Given a Deployment (the second document) whose container has imagePullPolcy instead of imagePullPolicy
    String yaml = resource("misspelt-field.yaml");

    // Then parsing fails naming document 2, the Deployment litellm and the full path of the field
    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 2")
        .hasMessageContaining("Deployment litellm")
        .hasMessageContaining(SOURCE)
        .hasMessageContaining("'spec.template.spec.containers[0].imagePullPolcy'")
        .hasMessageContaining("kubectl explain deployment");
  }

  @Test
  @DisplayName("a misspelt top-level field is reported by its own name")
  void misspeltTopLevelField() {
    // Given a ConfigMap with 'datta' instead of 'data'
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        datta:
          a: b
        """;

    // Then the error names the field without a leading dot
    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 1 (ConfigMap settings)")
        .hasMessageContaining("unknown field 'datta'");
  }

  @Test
  @DisplayName("a misspelt field inside a map-valued field (volume in a list in a list) is found too")
  void misspeltDeepField() {
    // Given a Deployment whose second container's volume mount has 'mountPth'
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ollama
        spec:
          selector:
            matchLabels: {app: ollama}
          template:
            metadata:
              labels: {app: ollama}
            spec:
              containers:
                - name: a
                  image: a
                - name: b
                  image: b
                  volumeMounts:
                    - name: models
                      mountPth: /models
        """;

    // Then its path is given with both list indices
    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'spec.template.spec.containers[1].volumeMounts[0].mountPth'");
  }

  @Test
  @DisplayName("a kind of a custom group is parsed as a custom resource: only the cluster can tell whether it serves it")
  void customResource() {
    // Given a custom resource the plugin has no type for
    String yaml = """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: gadget
        spec:
          size: 3
        """;

    // Then it is kept as it is, for deploy to check against the API server's discovery
    List<HasMetadata> objects = ManifestParser.parse(yaml, SOURCE);
    assertThat(objects).singleElement().isInstanceOf(GenericKubernetesResource.class);
    assertThat(((GenericKubernetesResource) objects.get(0)).getAdditionalProperties()).containsKey("spec");
  }

  @Test
  @DisplayName("an unknown kind of a built-in API group is a typo: an error naming its apiVersion and kind")
  void unknownKind() {
    String yaml = """
        apiVersion: apps/v1
        kind: Deploymnet
        metadata:
          name: app
        """;

    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 1 (Deploymnet app)")
        .hasMessageContaining("apps/v1 Deploymnet")
        .hasMessageContaining("kind this plugin does not know");
  }

  @Test
  @DisplayName("a Secret whose stringData is not a mapping names the field and the type, never the value")
  void secretValueNotInTheError() {
    String yaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: keys
        stringData: sk-live-do-not-print-4242
        """;

    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 1 (Secret keys)")
        .hasMessageContaining("field 'stringData' cannot be read as a mapping")
        .hasMessageNotContaining("sk-live-do-not-print-4242");
  }

  @Test
  @DisplayName("a wrong type deep in a Secret names the path, never the value")
  void secretNestedValueNotInTheError() {
    String yaml = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: keys
        data:
          OPENAI_API_KEY:
            nested: c2stbGl2ZS1kby1ub3QtcHJpbnQ=
        """;

    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("field 'data.OPENAI_API_KEY'")
        .hasMessageNotContaining("c2stbGl2ZS1kby1ub3QtcHJpbnQ=");
  }


  @Test
  @DisplayName("invalid YAML is an error naming the source")
  void invalidYaml() {
    // Given YAML with an unclosed flow sequence
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: [broken
        """;

    // Then parsing fails as a configuration error
    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not valid")
        .hasMessageContaining(SOURCE)
        .hasMessageContaining("document 1");
  }

  @Test
  @DisplayName("a document without kind is an error naming the document")
  void noKind() {
    // Given a valid first document and a second one without kind
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: fine
        ---
        apiVersion: v1
        metadata:
          name: anonymous
        data: {}
        """;

    // Then the error names document 2 and says what is missing
    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 2 (no kind anonymous)")
        .hasMessageContaining("has no apiVersion or kind");
  }

  @Test
  @DisplayName("a document without apiVersion is an error too")
  void noApiVersion() {
    String yaml = """
        kind: ConfigMap
        metadata:
          name: settings
        """;

    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 1 (ConfigMap settings)")
        .hasMessageContaining("has no apiVersion or kind");
  }

  @Test
  @DisplayName("a field of the wrong type is an error naming the kind's schema")
  void wrongType() {
    // Given replicas: "two"
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: litellm
        spec:
          replicas: two
        """;

    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 1 (Deployment litellm)")
        .hasMessageContaining("does not match the Deployment schema");
  }

  @Test
  @DisplayName("empty documents (--- only, or comments only) are skipped")
  void emptyDocuments() {
    // Given separators with nothing between them, before, after and in the middle
    String yaml = """
        ---
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: one
        ---
        # nothing but a comment
        ---
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: two
        ---
        """;

    // When it is parsed
    List<HasMetadata> objects = ManifestParser.parse(yaml, SOURCE);

    // Then only the two real documents come back
    assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("one", "two");
  }

  @Test
  @DisplayName("empty input gives no objects")
  void emptyInput() {
    assertThat(ManifestParser.parse("", SOURCE)).isEmpty();
    assertThat(ManifestParser.parse("---\n", SOURCE)).isEmpty();
  }

  @Test
  @DisplayName("the document number counts skipped empty documents, as in the file")
  void documentNumberCountsEmptyOnes() {
    // Given an empty document before a document with a typo
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: one
        ---
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: three
        dta: {}
        """;

    // Then the error names it as the third document
    assertThatThrownBy(() -> ManifestParser.parse(yaml, SOURCE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Document 3 (ConfigMap three)");
  }
}
