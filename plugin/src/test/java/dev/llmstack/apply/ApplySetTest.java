package dev.llmstack.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApplySetTest {

  private static final Map<String, String> STACK_LABELS =
      Map.of("app.kubernetes.io/managed-by", "llmstack-maven-plugin", "llmstack.dev/stack", "demo");

  @Test
  @DisplayName("the parent is named llmstack-<stack> in the given namespace")
  void name() {
    ApplySet set = new ApplySet("demo", "llm");

    assertThat(set.name()).isEqualTo("llmstack-demo");
    assertThat(set.namespace()).isEqualTo("llm");
  }

  @Test
  @DisplayName("id() is KEP-3659's: applyset- + base64url-no-padding(sha256(<name>.<namespace>.Secret.)) + -v1")
  void idFollowsKep3659() throws Exception {
    // Given the ApplySet of stack demo in namespace llm
    ApplySet set = new ApplySet("demo", "llm");

    // When its id is computed independently, by hand-rolled base64url over the SHA-256
    byte[] hash = MessageDigest.getInstance("SHA-256").digest("llmstack-demo.llm.Secret.".getBytes(StandardCharsets.UTF_8));
    String standard = Base64.getEncoder().encodeToString(hash);
    String urlNoPadding = standard.replace('+', '-').replace('/', '_').replaceAll("=+$", "");

    // Then they agree, and agree with the value computed by openssl (printf ... | openssl dgst -sha256 -binary | base64)
    assertThat(set.id())
        .isEqualTo("applyset-" + urlNoPadding + "-v1")
        .isEqualTo("applyset-ZRZe5RjEnlXRLPNqlxVc-xKVU8jSYWUeNV4rM3ueRI0-v1");
    assertThat(new ApplySet("demo", "default").id()).isEqualTo("applyset-ILAPn6uZ6-vi-Ladj-FnotxbLzKrrFp1ZNoVq5gF_kA-v1");
    // and a label value may be at most 63 characters: 9 + 43 + 3
    assertThat(set.id()).hasSize(55).matches("[A-Za-z0-9_.-]+");
  }

  @Test
  @DisplayName("id() differs by stack and by namespace, and is stable")
  void idDistinct() {
    assertThat(new ApplySet("demo", "llm").id())
        .isEqualTo(new ApplySet("demo", "llm").id())
        .isNotEqualTo(new ApplySet("demo", "default").id())
        .isNotEqualTo(new ApplySet("other", "llm").id());
  }

  @Test
  @DisplayName("parent(...) carries the id label, the stack labels, tooling and sorted group-kinds")
  void parent() {
    // Given an ApplySet whose members are all in its own namespace
    ApplySet set = new ApplySet("demo", "llm");

    // When the parent is made from unsorted, duplicated group-kinds
    Secret parent = set.parent(
        List.of("Service", "Deployment.apps", "ConfigMap", "Deployment.apps"), List.of("llm"), "llmstack-maven-plugin/0.1.0", STACK_LABELS);

    // Then it is an Opaque Secret without data, named and labelled as KEP-3659 wants
    assertThat(parent.getMetadata().getName()).isEqualTo("llmstack-demo");
    assertThat(parent.getMetadata().getNamespace()).isEqualTo("llm");
    assertThat(parent.getType()).isEqualTo("Opaque");
    assertThat(parent.getData()).isNullOrEmpty();
    assertThat(parent.getMetadata().getLabels())
        .containsEntry("applyset.kubernetes.io/id", set.id())
        .containsAllEntriesOf(STACK_LABELS)
        .hasSize(3);
    assertThat(parent.getMetadata().getAnnotations())
        .containsEntry("applyset.kubernetes.io/tooling", "llmstack-maven-plugin/0.1.0")
        .containsEntry("applyset.kubernetes.io/contains-group-kinds", "ConfigMap,Deployment.apps,Service")
        .doesNotContainKey("applyset.kubernetes.io/additional-namespaces");
  }

  @Test
  @DisplayName("parent(...) lists only the other namespaces, sorted, as additional-namespaces")
  void additionalNamespaces() {
    ApplySet set = new ApplySet("demo", "llm");

    Secret parent = set.parent(List.of("ConfigMap"), List.of("monitoring", "llm", "db", "monitoring"), "t/1", STACK_LABELS);

    assertThat(parent.getMetadata().getAnnotations()).containsEntry("applyset.kubernetes.io/additional-namespaces", "db,monitoring");
    assertThat(ApplySet.additionalNamespaces(parent)).containsExactly("db", "monitoring");
  }

  @Test
  @DisplayName("groupKinds(parent) parses the annotation back, sorted")
  void groupKindsRoundTrip() {
    Secret parent = new ApplySet("demo", "llm").parent(
        List.of("Job.batch", "Service", "Deployment.apps"), List.of(), "t/1", STACK_LABELS);

    assertThat(ApplySet.groupKinds(parent)).containsExactly("Deployment.apps", "Job.batch", "Service");
  }

  @Test
  @DisplayName("groupKinds tolerates spaces, empty entries, a missing annotation and a missing parent")
  void groupKindsTolerant() {
    Secret spaced = new SecretBuilder().withNewMetadata().withName("p")
        .withAnnotations(Map.of("applyset.kubernetes.io/contains-group-kinds", " Service , ,Deployment.apps,")).endMetadata().build();
    Secret bare = new SecretBuilder().withNewMetadata().withName("p").endMetadata().build();
    Secret otherAnnotations = new SecretBuilder().withNewMetadata().withName("p").withAnnotations(Map.of("x", "y")).endMetadata().build();

    assertThat(ApplySet.groupKinds(spaced)).containsExactly("Deployment.apps", "Service");
    assertThat(ApplySet.groupKinds(bare)).isEmpty();
    assertThat(ApplySet.groupKinds(otherAnnotations)).isEmpty();
    assertThat(ApplySet.groupKinds(null)).isEmpty();
    assertThat(ApplySet.additionalNamespaces(null)).isEmpty();
  }

  @Test
  @DisplayName("an empty set of group-kinds gives an empty annotation, parsed back as empty")
  void emptyGroupKinds() {
    Secret parent = new ApplySet("demo", "llm").parent(List.of(), List.of(), "t/1", STACK_LABELS);

    assertThat(parent.getMetadata().getAnnotations()).containsEntry("applyset.kubernetes.io/contains-group-kinds", "");
    assertThat(ApplySet.groupKinds(parent)).isEmpty();
  }
}
