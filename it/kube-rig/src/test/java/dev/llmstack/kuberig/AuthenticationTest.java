package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Simulated API server: authentication (bearer tokens of the kubeconfig, 401, anonymous 403)")
class AuthenticationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static KubeRig rig;

  @BeforeAll
  static void start() {
    rig = KubeRig.start();
    rig.client().resource(new NamespaceBuilder().withNewMetadata().withName("auth").endMetadata().build()).create();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  @DisplayName("Given the rig's kubeconfig, then a client of either context reads the API with its token")
  void kubeconfigTokens(@TempDir Path dir) {
    final Path kubeconfig = rig.writeKubeconfig(dir.resolve("config"));
    for (String context : List.of("minikube", "prod-eu")) {
      final Config config = Config.fromKubeconfig(context, kubeconfig.toFile());
      assertThat(config.getAutoOAuthToken()).isEqualTo("kube-rig-" + context);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        assertThat(client.namespaces().withName("auth").get()).isNotNull();
      }
    }
  }

  @Test
  @DisplayName("Given another bearer token, then every request is 401 with the API server's Status")
  void unknownTokenIsUnauthorized() throws Exception {
    // When
    final HttpResponse<String> raw = Http.send("GET", rig.url() + "/api/v1/namespaces", null, null,
        "Bearer not-the-rig-token");
    final HttpResponse<String> version = Http.send("GET", rig.url() + "/version", null, null, "Bearer nope");
    final KubernetesClientException thrown;
    try (KubernetesClient client = client("wrong-token")) {
      thrown = catchThrowableOfType(KubernetesClientException.class,
          () -> client.namespaces().withName("auth").get());
    }
    // Then
    assertThat(raw.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(raw.body())).isEqualTo(JSON.readTree("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}"));
    assertThat(version.statusCode()).isEqualTo(401);
    assertThat(thrown.getCode()).isEqualTo(401);
    assertThat(thrown.getStatus().getReason()).isEqualTo("Unauthorized");
  }

  @Test
  @DisplayName("Given no credentials, then /version and the health paths answer, anything else is 403 for system:anonymous")
  void anonymous() throws Exception {
    for (String open : List.of("/version", "/healthz", "/readyz", "/livez")) {
      assertThat(Http.send("GET", rig.url() + open, null, null, null).statusCode()).as(open).isEqualTo(200);
    }
    final JsonNode api = forbidden("GET", "/api");
    assertThat(api.path("message").asText()).isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/api\"");
    assertThat(api.path("details").size()).isZero();
    final JsonNode namespaces = forbidden("GET", "/api/v1/namespaces");
    assertThat(namespaces.path("message").asText()).isEqualTo("namespaces is forbidden: User \"system:anonymous\""
        + " cannot list resource \"namespaces\" in API group \"\" at the cluster scope");
    assertThat(namespaces.path("details").path("kind").asText()).isEqualTo("namespaces");
    final JsonNode namespace = forbidden("GET", "/api/v1/namespaces/auth");
    assertThat(namespace.path("message").asText()).isEqualTo("namespaces \"auth\" is forbidden: User"
        + " \"system:anonymous\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"auth\"");
    final JsonNode deployments = forbidden("GET", "/apis/apps/v1/namespaces/auth/deployments?watch=true");
    assertThat(deployments.path("message").asText()).isEqualTo("deployments.apps is forbidden: User"
        + " \"system:anonymous\" cannot watch resource \"deployments\" in API group \"apps\" in the namespace \"auth\"");
    assertThat(deployments.path("details").path("group").asText()).isEqualTo("apps");
    final JsonNode log = forbidden("GET", "/api/v1/namespaces/auth/pods/web/log");
    assertThat(log.path("message").asText()).isEqualTo("pods \"web\" is forbidden: User \"system:anonymous\""
        + " cannot get resource \"pods/log\" in API group \"\" in the namespace \"auth\"");
    final JsonNode create = forbidden("POST", "/api/v1/namespaces/auth/configmaps");
    assertThat(create.path("message").asText()).isEqualTo("configmaps is forbidden: User \"system:anonymous\""
        + " cannot create resource \"configmaps\" in API group \"\" in the namespace \"auth\"");
    // nothing was stored
    assertThat(rig.client().configMaps().inNamespace("auth").list().getItems()).isEmpty();
    // fabric8 without a token sees the same 403
    try (KubernetesClient client = client(null)) {
      final KubernetesClientException thrown = catchThrowableOfType(KubernetesClientException.class,
          () -> client.namespaces().list());
      assertThat(thrown.getCode()).isEqualTo(403);
    }
  }

  private static JsonNode forbidden(String method, String path) throws Exception {
    final HttpResponse<String> response = Http.send(method, rig.url() + path,
        method.equals("POST") ? "application/json" : null,
        method.equals("POST") ? "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}" : null,
        null);
    assertThat(response.statusCode()).as(method + " " + path).isEqualTo(403);
    final JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.path("code").asInt()).isEqualTo(403);
    return status;
  }

  private static KubernetesClient client(String token) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(rig.url())
        .withOauthToken(token).withRequestRetryBackoffLimit(0).build()).build();
  }
}
