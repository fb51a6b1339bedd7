package dev.llmstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KindPathsTest {

  @Test
  @DisplayName("knows every kind of Kinds, with fabric8's group, version, plural and scope")
  void agreesWithFabric8() {
    assertThat(KindPaths.groupKinds()).containsExactlyInAnyOrderElementsOf(Kinds.knownGroupKinds());
    for (String groupKind : Kinds.knownGroupKinds()) {
      Class<? extends HasMetadata> type = Kinds.type(groupKind).orElseThrow();
      KindPaths.KindPath path = KindPaths.of(groupKind).orElseThrow();
      assertThat(path.kind()).as(groupKind).isEqualTo(HasMetadata.getKind(type));
      assertThat(path.apiVersion()).as(groupKind).isEqualTo(HasMetadata.getApiVersion(type));
      assertThat(path.plural()).as(groupKind).isEqualTo(HasMetadata.getPlural(type));
      assertThat(path.namespaced()).as(groupKind).isEqualTo(Namespaced.class.isAssignableFrom(type));
      assertThat(path.namespaced()).as(groupKind).isEqualTo(!Kinds.isClusterScoped(groupKind));
    }
  }

  @Test
  @DisplayName("list URLs: core and named groups, namespaced and cluster-wide, selector encoded")
  void urls() {
    assertThat(KindPaths.of("Deployment.apps").orElseThrow().list("llm", "a/b=c"))
        .isEqualTo("/apis/apps/v1/namespaces/llm/deployments?labelSelector=a%2Fb%3Dc");
    assertThat(KindPaths.of("ConfigMap").orElseThrow().list("llm", "x=y"))
        .isEqualTo("/api/v1/namespaces/llm/configmaps?labelSelector=x%3Dy");
    assertThat(KindPaths.of("ClusterRole.rbac.authorization.k8s.io").orElseThrow().list("ignored", "x=y"))
        .isEqualTo("/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=x%3Dy");
    assertThat(KindPaths.of("Widget.example.com")).isEmpty();
  }
}
