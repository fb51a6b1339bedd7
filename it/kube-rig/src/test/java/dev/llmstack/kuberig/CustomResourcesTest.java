package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Simulated API server: CustomResourceDefinitions, custom resources and the simulated operator")
class CustomResourcesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static KubeRig rig;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    rig = KubeRig.start();
    client = rig.client();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  private static CustomResourceDefinition definition(String group, String plural, String kind, String scope,
      boolean statusSubresource) {
    final CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
        .withName(plural + "." + group).endMetadata().withNewSpec().withGroup(group).withScope(scope)
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).withShortNames("wd")
        .endNames().addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema()
        .withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema()
        .endSchema().endVersion().endSpec().build();
    if (statusSubresource) {
      crd.getSpec().getVersions().get(0).setSubresources(
          new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceSubresourcesBuilder().withNewStatus()
              .endStatus().build());
    }
    return crd;
  }

  private static GenericKubernetesResource widget(String group, String name, String namespace, String size,
      Map<String, String> annotations) {
    return new GenericKubernetesResourceBuilder().withApiVersion(group + "/v1").withKind("Widget").withNewMetadata()
        .withName(name).withNamespace(namespace).withAnnotations(annotations).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("size", size))).build();
  }

  private static CustomResourceDefinition established(String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name)
        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Given a CRD created, then it is NamesAccepted and Established, its kind is in discovery and served: create, get, list, watch, apply, delete")
  void definedKindIsServed() throws Exception {
    // Given
    client.apiextensions().v1().customResourceDefinitions()
        .resource(definition("served.example.com", "widgets", "Widget", "Namespaced", true)).create();
    // Then: established as the API server's controllers do it
    final CustomResourceDefinition crd = established("widgets.served.example.com");
    assertThat(crd.getStatus().getConditions()).extracting(CustomResourceDefinitionCondition::getType,
        CustomResourceDefinitionCondition::getStatus, CustomResourceDefinitionCondition::getReason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("NamesAccepted", "True", "NoConflicts"),
            org.assertj.core.groups.Tuple.tuple("Established", "True", "InitialNamesAccepted"));
    assertThat(crd.getStatus().getAcceptedNames().getListKind()).isEqualTo("WidgetList");
    assertThat(crd.getStatus().getStoredVersions()).containsExactly("v1");
    // discovery
    assertThat(client.getApiGroups().getGroups()).anyMatch(g -> g.getName().equals("served.example.com"));
    final List<APIResource> resources = client.getApiResources("served.example.com/v1").getResources();
    assertThat(resources).extracting(APIResource::getName).containsExactly("widgets", "widgets/status");
    assertThat(resources.get(0).getKind()).isEqualTo("Widget");
    assertThat(resources.get(0).getNamespaced()).isTrue();
    assertThat(resources.get(0).getShortNames()).containsExactly("wd");
    // served
    final MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
        widgets = client.genericKubernetesResources("served.example.com/v1", "Widget");
    final Set<String> watched = ConcurrentHashMap.newKeySet();
    try (Watch watch = watchNames(widgets.inNamespace("crs"), watched)) {
      widgets.inNamespace("crs").resource(widget("served.example.com", "one", "crs", "S", Map.of())).create();
      client.resource(widget("served.example.com", "two", "crs", "M", Map.of())).fieldManager("llmstack")
          .serverSideApply();
      assertThat(widgets.inNamespace("crs").withName("one").get().get("spec", "size").toString()).isEqualTo("S");
      assertThat(widgets.inNamespace("crs").list().getItems()).extracting(r -> r.getMetadata().getName())
          .containsExactlyInAnyOrder("one", "two");
      assertThat(widgets.inAnyNamespace().list().getItems()).hasSize(2);
      widgets.inNamespace("crs").withName("one").delete();
      awaitContains(watched, "ADDED one", "ADDED two", "DELETED one");
    }
    assertThat(widgets.inNamespace("crs").withName("one").get()).isNull();
    // managed fields of a custom resource: its lists would be atomic, its fields owned
    final JsonNode two = JSON.valueToTree(widgets.inNamespace("crs").withName("two").get());
    assertThat(two.path("metadata").path("managedFields").get(0).path("fieldsV1"))
        .isEqualTo(JSON.readTree("{\"f:spec\":{\"f:size\":{}}}"));
  }

  @Test
  @DisplayName("Given a cluster-scoped CRD, then its objects live outside namespaces and a namespaced path is 404")
  void clusterScoped() throws Exception {
    client.apiextensions().v1().customResourceDefinitions()
        .resource(definition("cluster.example.com", "widgets", "Widget", "Cluster", false)).create();
    established("widgets.cluster.example.com");
    client.genericKubernetesResources("cluster.example.com/v1", "Widget")
        .resource(widget("cluster.example.com", "global", null, "L", Map.of())).create();
    assertThat(Http.send("GET", rig.url() + "/apis/cluster.example.com/v1/widgets/global", null, null).statusCode())
        .isEqualTo(200);
    assertThat(Http.send("GET", rig.url() + "/apis/cluster.example.com/v1/namespaces/x/widgets/global", null, null)
        .statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("Given a CRD whose name is not <plural>.<group>, then it is 422 Invalid and not stored")
  void invalidName() {
    final CustomResourceDefinition bad = definition("bad.example.com", "widgets", "Widget", "Namespaced", false);
    bad.getMetadata().setName("widget.bad.example.com");
    final KubernetesClientException thrown = catchThrowableOfType(KubernetesClientException.class,
        () -> client.apiextensions().v1().customResourceDefinitions().resource(bad).create());
    assertThat(thrown.getCode()).isEqualTo(422);
    assertThat(thrown.getStatus().getMessage()).isEqualTo("CustomResourceDefinition.apiextensions.k8s.io"
        + " \"widget.bad.example.com\" is invalid: metadata.name: Invalid value: \"widget.bad.example.com\": must be"
        + " spec.names.plural+\".\"+spec.group");
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("widget.bad.example.com").get())
        .isNull();
  }

  @Test
  @DisplayName("Given a CRD with objects, when it is deleted, then its objects are deleted (watchers see it) and the kind is 404")
  void deletingTheDefinitionDeletesItsObjects() throws Exception {
    client.apiextensions().v1().customResourceDefinitions()
        .resource(definition("gone.example.com", "widgets", "Widget", "Namespaced", false)).create();
    established("widgets.gone.example.com");
    final MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
        widgets = client.genericKubernetesResources("gone.example.com/v1", "Widget");
    widgets.inNamespace("a").resource(widget("gone.example.com", "w1", "a", "S", Map.of())).create();
    widgets.inNamespace("b").resource(widget("gone.example.com", "w2", "b", "S", Map.of())).create();
    final Set<String> watched = ConcurrentHashMap.newKeySet();
    try (Watch watch = watchNames(widgets.inAnyNamespace(), watched)) {
      awaitContains(watched, "ADDED w1", "ADDED w2");
      // When
      client.apiextensions().v1().customResourceDefinitions().withName("widgets.gone.example.com").delete();
      // Then
      awaitContains(watched, "DELETED w1", "DELETED w2");
    }
    final HttpResponse<String> after = Http.send("GET", rig.url() + "/apis/gone.example.com/v1/namespaces/a/widgets",
        null, null);
    assertThat(after.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("Given a custom resource annotated rig.llmstack.dev/conditions, then the simulated operator writes observedGeneration and the conditions after each change, through /status")
  void simulatedOperator() {
    client.apiextensions().v1().customResourceDefinitions()
        .resource(definition("op.example.com", "widgets", "Widget", "Namespaced", true)).create();
    established("widgets.op.example.com");
    final Resource<GenericKubernetesResource> widget = client.genericKubernetesResources("op.example.com/v1", "Widget")
        .inNamespace("op").withName("w");
    // When
    client.resource(widget("op.example.com", "w", "op", "S", Map.of(SimulatedOperator.ANNOTATION, "Ready=True")))
        .fieldManager("llmstack").serverSideApply();
    // Then
    final GenericKubernetesResource ready = widget.waitUntilCondition(w -> condition(w, "Ready", "True", 1),
        10, TimeUnit.SECONDS);
    assertThat(operatorSubresource(ready)).isEqualTo("status");
    // When the spec changes and the annotation says not ready
    client.resource(widget("op.example.com", "w", "op", "M",
        Map.of(SimulatedOperator.ANNOTATION, "Ready=False:Waiting,Synced=True"))).fieldManager("llmstack")
        .serverSideApply();
    // Then
    final GenericKubernetesResource waiting = widget.waitUntilCondition(w -> condition(w, "Ready", "False", 2),
        10, TimeUnit.SECONDS);
    final JsonNode conditions = JSON.valueToTree(waiting).path("status").path("conditions");
    assertThat(conditions.get(0).path("reason").asText()).isEqualTo("Waiting");
    assertThat(conditions.get(1).path("type").asText()).isEqualTo("Synced");
    // an apply to the main resource leaves the status subresource's status alone
    final GenericKubernetesResource withStatus = widget("op.example.com", "w", "op", "M",
        Map.of(SimulatedOperator.ANNOTATION, "Ready=False:Waiting,Synced=True"));
    withStatus.setAdditionalProperty("status", Map.of("observedGeneration", 99));
    client.resource(withStatus).fieldManager("llmstack").serverSideApply();
    assertThat(JSON.valueToTree(widget.get()).path("status").path("observedGeneration").asInt()).isEqualTo(2);
  }

  @Test
  @DisplayName("Given a CRD without a status subresource, then the simulated operator writes status on the main resource")
  void simulatedOperatorWithoutStatusSubresource() {
    client.apiextensions().v1().customResourceDefinitions()
        .resource(definition("plain.example.com", "widgets", "Widget", "Namespaced", false)).create();
    established("widgets.plain.example.com");
    client.genericKubernetesResources("plain.example.com/v1", "Widget").inNamespace("op")
        .resource(widget("plain.example.com", "p", "op", "S", Map.of(SimulatedOperator.ANNOTATION, "Ready=True")))
        .create();
    final GenericKubernetesResource ready = client.genericKubernetesResources("plain.example.com/v1", "Widget")
        .inNamespace("op").withName("p").waitUntilCondition(w -> condition(w, "Ready", "True", 1), 10,
            TimeUnit.SECONDS);
    assertThat(operatorSubresource(ready)).isEmpty();
  }

  private static boolean condition(GenericKubernetesResource w, String type, String status, long generation) {
    final JsonNode s = JSON.valueToTree(w).path("status");
    if (s.path("observedGeneration").asLong() != generation) {
      return false;
    }
    for (JsonNode c : s.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText().equals(status) && c.path("observedGeneration").asLong() == generation;
      }
    }
    return false;
  }

  private static String operatorSubresource(GenericKubernetesResource w) {
    for (JsonNode e : JSON.valueToTree(w).path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(SimulatedOperator.MANAGER)) {
        return e.path("subresource").asText("");
      }
    }
    throw new AssertionError("no managedFields entry of " + SimulatedOperator.MANAGER);
  }

  /** Records "<action> <name>" of every event. */
  private static Watch watchNames(Watchable<GenericKubernetesResource> watchable, Set<String> seen) {
    return watchable.watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        seen.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
  }

  private static void awaitContains(Set<String> seen, String... expected) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!seen.containsAll(List.of(expected)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(seen).contains(expected);
  }
}
