package dev.llmstack.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.apply.Ownership.Decision;
import dev.llmstack.error.ConfigurationException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may deploy change: the decision per object, the owner named, the refusal's words. */
class OwnershipTest {

  private static final String OURS = new ApplySet("s", "ns").id();

  private static Service service(String name, Map<String, String> labels) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("ns").withLabels(labels).endMetadata().build();
  }

  @Test
  @DisplayName("absent: create; a member of this stack's ApplySet: update; anything else: refuse")
  void decisions() {
    Ownership ownership = new Ownership(OURS, List.of());
    Service rendered = service("dev-postgres", Map.of());

    assertThat(ownership.decide(rendered, null)).isEqualTo(Decision.CREATE);
    assertThat(ownership.decide(rendered, service("dev-postgres", Map.of(ApplySet.PART_OF, OURS)))).isEqualTo(Decision.UPDATE);
    assertThat(ownership.decide(rendered, service("dev-postgres", Map.of()))).isEqualTo(Decision.REFUSE);
    assertThat(ownership.decide(rendered, service("dev-postgres", Map.of(ApplySet.PART_OF, new ApplySet("other", "ns").id()))))
        .isEqualTo(Decision.REFUSE);
  }

  @Test
  @DisplayName("an existing Namespace is used, never adopted, even with adopt=*")
  void namespaceUsed() {
    Ownership adoptAll = new Ownership(OURS, List.of("*"));
    HasMetadata ns = new NamespaceBuilder().withNewMetadata().withName("llm").endMetadata().build();

    assertThat(adoptAll.decide(ns, new NamespaceBuilder().withNewMetadata().withName("llm").endMetadata().build()))
        .isEqualTo(Decision.USE_EXISTING_NAMESPACE);
    assertThat(adoptAll.decide(ns, null)).isEqualTo(Decision.CREATE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Service/dev-postgres", "service/dev-postgres", "Service/ns/dev-postgres", "*"})
  @DisplayName("adopt entries match by kind (any case) and name, optionally namespace")
  void adoptMatches(String entry) {
    assertThat(new Ownership(OURS, List.of(entry)).decide(service("dev-postgres", Map.of()), service("dev-postgres", Map.of())))
        .isEqualTo(Decision.ADOPT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Service/dev-redis", "ConfigMap/dev-postgres", "Service/other-ns/dev-postgres"})
  @DisplayName("adopt entries for other objects do not adopt this one")
  void adoptMisses(String entry) {
    assertThat(new Ownership(OURS, List.of(entry)).decide(service("dev-postgres", Map.of()), service("dev-postgres", Map.of())))
        .isEqualTo(Decision.REFUSE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev-postgres", "Service/", "/x", "a/b/c/d", "Service//x"})
  @DisplayName("a malformed adopt entry is an error naming the parameter and the form")
  void malformedAdopt(String entry) {
    assertThatThrownBy(() -> Ownership.checkAdoptEntry(entry))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("<adopt> (-Dllmstack.adopt)")
        .hasMessageContaining("Kind/name");
  }

  @Test
  @DisplayName("the owner is named: another stack, a Helm release, the field managers, or nobody")
  void owners() {
    assertThat(Ownership.owner(service("x", Map.of(ApplySet.PART_OF, "applyset-abc-v1", "llmstack.dev/stack", "other"))))
        .isEqualTo("a member of stack 'other' (another ApplySet, applyset-abc-v1)");
    Service helm = service("x", Map.of("app.kubernetes.io/managed-by", "Helm"));
    helm.getMetadata().setAnnotations(Map.of("meta.helm.sh/release-name", "pg"));
    assertThat(Ownership.owner(helm)).isEqualTo("Helm release 'pg'");
    Service byHand = service("x", Map.of());
    byHand.getMetadata().setManagedFields(List.of(
        new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply").withOperation("Update").build(),
        new ManagedFieldsEntryBuilder().withManager("kubectl-edit").withOperation("Update").build()));
    assertThat(Ownership.owner(byHand)).isEqualTo("managed by kubectl-client-side-apply, kubectl-edit (field managers)");
    assertThat(Ownership.owner(service("x", Map.of()))).isEqualTo("no recorded owner");
  }

  @Test
  @DisplayName("the refusal names every object and its owner, says nothing was applied, and gives the adopt flag to copy")
  void refusal() {
    ConfigurationException e = Ownership.refusal("s", List.of(service("dev-postgres", Map.of()), service("dev-redis", Map.of())));

    assertThat(e.getMessage())
        .contains("Service dev-postgres in namespace ns: no recorded owner")
        .contains("Service dev-redis in namespace ns")
        .contains("Nothing was applied.")
        .contains("-Dllmstack.adopt=Service/dev-postgres,Service/dev-redis");
  }
}
