package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated API server: discovery of the built-in groups, 404 for types it does not serve, CronJobs stored")
class DiscoveryTest {

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

  @Test
  @DisplayName("Given the rig, then fabric8's getApiGroups and getApiResources list the built-in groups and their kinds")
  void groupsAndResources() {
    // When
    final List<APIGroup> groups = client.getApiGroups().getGroups();
    final APIResourceList apps = client.getApiResources("apps/v1");
    final APIResourceList core = client.getApiResources("v1");
    // Then
    assertThat(groups).extracting(APIGroup::getName).contains("apps", "batch", "rbac.authorization.k8s.io",
        "networking.k8s.io", "policy", "autoscaling", "apiextensions.k8s.io");
    assertThat(groups).filteredOn(g -> g.getName().equals("autoscaling")).singleElement()
        .satisfies(g -> assertThat(g.getPreferredVersion().getGroupVersion()).isEqualTo("autoscaling/v2"));
    assertThat(apps.getGroupVersion()).isEqualTo("apps/v1");
    final APIResource deployments = resource(apps, "deployments");
    assertThat(deployments.getKind()).isEqualTo("Deployment");
    assertThat(deployments.getNamespaced()).isTrue();
    assertThat(deployments.getVerbs()).containsExactlyInAnyOrder("create", "delete", "deletecollection", "get",
        "list", "patch", "update", "watch");
    assertThat(deployments.getShortNames()).containsExactly("deploy");
    assertThat(resource(apps, "deployments/status").getVerbs()).containsExactlyInAnyOrder("get", "patch", "update");
    assertThat(resource(apps, "deployments/scale").getKind()).isEqualTo("Scale");
    assertThat(resource(core, "namespaces").getNamespaced()).isFalse();
    assertThat(resource(core, "pods/log").getVerbs()).containsExactly("get");
    assertThat(resource(client.getApiResources("batch/v1"), "cronjobs").getKind()).isEqualTo("CronJob");
  }

  private static APIResource resource(APIResourceList list, String name) {
    return list.getResources().stream().filter(r -> r.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + list.getGroupVersion()));
  }

  @Test
  @DisplayName("Given the raw discovery paths, then /api, /apis and /apis/<group> answer the API server's documents")
  void rawDocuments() throws Exception {
    assertThat(JSON.readTree(Http.send("GET", rig.url() + "/api", null, null).body()))
        .isEqualTo(JSON.readTree("{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}"));
    final JsonNode apis = JSON.readTree(Http.send("GET", rig.url() + "/apis", null, null).body());
    assertThat(apis.path("kind").asText()).isEqualTo("APIGroupList");
    final JsonNode batch = JSON.readTree(Http.send("GET", rig.url() + "/apis/batch", null, null).body());
    assertThat(batch).isEqualTo(JSON.readTree("{\"name\":\"batch\",\"versions\":[{\"groupVersion\":\"batch/v1\","
        + "\"version\":\"v1\"}],\"preferredVersion\":{\"groupVersion\":\"batch/v1\",\"version\":\"v1\"},"
        + "\"kind\":\"APIGroup\",\"apiVersion\":\"v1\"}"));
  }

  @Test
  @DisplayName("Given a type that is neither built in nor defined, then every request for it is 404 'the server could not find the requested resource'")
  void unknownTypes() throws Exception {
    for (String path : List.of("/apis/example.com/v1/namespaces/x/widgets", "/apis/example.com/v1",
        "/apis/example.com", "/api/v1/namespaces/x/gizmos", "/apis/apps/v2/namespaces/x/deployments",
        "/api/v1/namespaces/x/nodes/n")) {
      final HttpResponse<String> response = Http.send("GET", rig.url() + path, null, null);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(response.body())).as(path).isEqualTo(JSON.readTree("{\"kind\":\"Status\","
          + "\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"the server could not find the"
          + " requested resource\",\"reason\":\"NotFound\",\"details\":{},\"code\":404}"));
    }
    final HttpResponse<String> create = Http.send("POST", rig.url() + "/apis/example.com/v1/namespaces/x/widgets",
        "application/json", "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"}}");
    assertThat(create.statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("Given a served type, then a missing object is 404 with the API server's message and details")
  void missingObject() throws Exception {
    final HttpResponse<String> get = Http.send("GET", rig.url() + "/apis/apps/v1/namespaces/x/deployments/nope",
        null, null);
    final HttpResponse<String> patch = Http.send("PATCH", rig.url() + "/api/v1/namespaces/x/configmaps/nope",
        "application/merge-patch+json", "{}");
    assertThat(get.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(get.body())).isEqualTo(JSON.readTree("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"deployments.apps \\\"nope\\\" not found\","
        + "\"reason\":\"NotFound\",\"details\":{\"name\":\"nope\",\"group\":\"apps\",\"kind\":\"deployments\"},"
        + "\"code\":404}"));
    assertThat(patch.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(patch.body()).path("message").asText()).isEqualTo("configmaps \"nope\" not found");
  }

  @Test
  @DisplayName("Given a CronJob (batch/v1), then it is created, stored and read back; its status is the server's")
  void cronJobsAreStored() {
    // When
    client.resource(new CronJobBuilder().withNewMetadata().withName("nightly").withNamespace("cron").endMetadata()
        .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
        .addNewContainer().withName("job").withImage("busybox").endContainer().withRestartPolicy("Never").endSpec()
        .endTemplate().endSpec().endJobTemplate().endSpec().withNewStatus().withLastScheduleTime("2026-01-01T00:00:00Z")
        .endStatus().build()).fieldManager("llmstack").forceConflicts().serverSideApply();
    // Then
    final CronJob stored = client.batch().v1().cronjobs().inNamespace("cron").withName("nightly").get();
    assertThat(stored.getSpec().getSchedule()).isEqualTo("0 3 * * *");
    assertThat(stored.getStatus()).isNull();
    assertThat(client.batch().v1().jobs().inNamespace("cron").list().getItems()).isEmpty(); // no schedules run
  }
}
