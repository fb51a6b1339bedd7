package dev.llmstack.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindsTest {

  @Test
  @DisplayName("sorts into apply order: Namespace, RBAC, ConfigMap/Secret, PVC, Service, StatefulSet, Deployment, Job, Ingress")
  void applyOrder() {
    // Given one object of each kind, shuffled
    List<HasMetadata> objects = new ArrayList<>(List.of(
        new JobBuilder().withNewMetadata().withName("job").endMetadata().build(),
        new DeploymentBuilder().withNewMetadata().withName("deployment").endMetadata().build(),
        new IngressBuilder().withNewMetadata().withName("ingress").endMetadata().build(),
        new ServiceBuilder().withNewMetadata().withName("service").endMetadata().build(),
        new StatefulSetBuilder().withNewMetadata().withName("statefulset").endMetadata().build(),
        new PersistentVolumeClaimBuilder().withNewMetadata().withName("pvc").endMetadata().build(),
        new SecretBuilder().withNewMetadata().withName("secret").endMetadata().build(),
        new RoleBindingBuilder().withNewMetadata().withName("rolebinding").endMetadata().build(),
        new ConfigMapBuilder().withNewMetadata().withName("configmap").endMetadata().build(),
        new RoleBuilder().withNewMetadata().withName("role").endMetadata().build(),
        new ServiceAccountBuilder().withNewMetadata().withName("serviceaccount").endMetadata().build(),
        new NamespaceBuilder().withNewMetadata().withName("namespace").endMetadata().build()));
    Collections.shuffle(objects, new java.util.Random(42));

    // When sorted (a stable sort)
    objects.sort(Kinds.applyOrder());

    // Then dependencies come first, workloads last
    List<String> order = objects.stream().map(o -> o.getMetadata().getName()).toList();
    assertThat(order.subList(0, 4)).containsExactly("namespace", "serviceaccount", "role", "rolebinding");
    assertThat(order.subList(4, 6)).containsExactlyInAnyOrder("configmap", "secret");
    assertThat(order.subList(6, order.size())).containsExactly("pvc", "service", "statefulset", "deployment", "job", "ingress");
  }

  @Test
  @DisplayName("the order is stable: objects of the same rank keep their rendered order")
  void stable() {
    // Given Deployments and ConfigMaps interleaved
    List<HasMetadata> objects = new ArrayList<>(List.of(
        new DeploymentBuilder().withNewMetadata().withName("b").endMetadata().build(),
        new ConfigMapBuilder().withNewMetadata().withName("z").endMetadata().build(),
        new DeploymentBuilder().withNewMetadata().withName("a").endMetadata().build(),
        new ConfigMapBuilder().withNewMetadata().withName("y").endMetadata().build()));

    // When sorted
    objects.sort(Kinds.applyOrder());

    // Then ConfigMaps first, each kind in its original order
    assertThat(objects).extracting(o -> o.getMetadata().getName()).containsExactly("z", "y", "b", "a");
  }

  @Test
  @DisplayName("unknown kinds go last, with Ingress")
  void unknownLast() {
    HasMetadata widget = new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
        .withNewMetadata().withName("w").endMetadata().build();
    List<HasMetadata> objects = new ArrayList<>(List.of(widget, new JobBuilder().withNewMetadata().withName("j").endMetadata().build()));

    objects.sort(Kinds.applyOrder());

    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Job", "Widget");
    assertThat(Kinds.isKnown(widget)).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "apps/v1, Deployment, Deployment.apps",
    "v1, Service, Service",
    "batch/v1, Job, Job.batch",
    "networking.k8s.io/v1, Ingress, Ingress.networking.k8s.io",
    "rbac.authorization.k8s.io/v1, ClusterRole, ClusterRole.rbac.authorization.k8s.io",
  })
  @DisplayName("groupKind spells Kind.group, and only Kind for the core group")
  void groupKindOfObject(String apiVersion, String kind, String groupKind) {
    HasMetadata o = new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind).build();

    assertThat(Kinds.groupKind(o)).isEqualTo(groupKind);
  }

  @Test
  @DisplayName("groupKind of typed objects and of group/kind pairs")
  void groupKindTyped() {
    assertThat(Kinds.groupKind(new Deployment())).isEqualTo("Deployment.apps");
    assertThat(Kinds.groupKind(new Service())).isEqualTo("Service");
    assertThat(Kinds.groupKind(new Job())).isEqualTo("Job.batch");
    assertThat(Kinds.groupKind("apps", "StatefulSet")).isEqualTo("StatefulSet.apps");
    assertThat(Kinds.groupKind("", "ConfigMap")).isEqualTo("ConfigMap");
    assertThat(Kinds.groupKind(null, "ConfigMap")).isEqualTo("ConfigMap");
  }

  @Test
  @DisplayName("type(groupKind) maps back to the fabric8 class")
  void type() {
    assertThat(Kinds.type("Deployment.apps")).contains(Deployment.class);
    assertThat(Kinds.type("Service")).contains(Service.class);
    assertThat(Kinds.type("Job.batch")).contains(Job.class);
    assertThat(Kinds.type("StatefulSet.apps")).contains(StatefulSet.class);
    assertThat(Kinds.type("Ingress.networking.k8s.io")).contains(Ingress.class);
    assertThat(Kinds.type("Deployment")).isEmpty();
    assertThat(Kinds.type("Widget.example.com")).isEmpty();
  }

  @Test
  @DisplayName("every known group-kind maps to a type whose own group-kind it is")
  void knownRoundTrip() {
    assertThat(Kinds.knownGroupKinds()).isNotEmpty().allSatisfy(gk -> {
      Class<? extends HasMetadata> type = Kinds.type(gk).orElseThrow();
      assertThat(Kinds.groupKind(HasMetadata.getGroup(type), HasMetadata.getKind(type))).isEqualTo(gk);
    });
  }

  @Test
  @DisplayName("the API version, kind and plural written out for each known type and for the workload types are fabric8's own")
  void restNamesAreFabric8s() {
    List<Class<? extends HasMetadata>> types = new java.util.ArrayList<>(Kinds.knownGroupKinds().stream().map(gk -> Kinds.type(gk).orElseThrow()).toList());
    types.addAll(java.util.Arrays.stream(dev.llmstack.rollout.WorkloadKind.values()).map(dev.llmstack.rollout.WorkloadKind::type).toList());
    assertThat(types).hasSizeGreaterThan(20).allSatisfy(type -> {
      assertThat(Kinds.apiVersion(type)).as(type.getName()).isEqualTo(HasMetadata.getApiVersion(type));
      assertThat(Kinds.kind(type)).as(type.getName()).isEqualTo(HasMetadata.getKind(type));
      assertThat(Kinds.plural(type)).as(type.getName()).isEqualTo(HasMetadata.getPlural(type));
      assertThat(Kinds.groupKind(type)).as(type.getName()).isEqualTo(Kinds.groupKind(HasMetadata.getGroup(type), HasMetadata.getKind(type)));
    });
  }

  @Test
  @DisplayName("Namespace and ClusterRole(Binding) are cluster-scoped, the rest is namespaced")
  void clusterScoped() {
    assertThat(Kinds.isClusterScoped("Namespace")).isTrue();
    assertThat(Kinds.isClusterScoped(Kinds.groupKind(new ClusterRoleBindingBuilder().build()))).isTrue();
    assertThat(Kinds.isClusterScoped("ClusterRole.rbac.authorization.k8s.io")).isTrue();
    assertThat(Kinds.isClusterScoped("Role.rbac.authorization.k8s.io")).isFalse();
    assertThat(Kinds.isClusterScoped("Deployment.apps")).isFalse();
    assertThat(Kinds.isClusterScoped("Service")).isFalse();
  }

  @Test
  @DisplayName("isKnown for typed objects")
  void isKnown() {
    assertThat(Kinds.isKnown(new Deployment())).isTrue();
    assertThat(Kinds.isKnown(new ConfigMap())).isTrue();
  }
}
