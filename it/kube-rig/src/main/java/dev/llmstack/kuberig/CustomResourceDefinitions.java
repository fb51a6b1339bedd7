package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CustomResourceDefinitions, as https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/
 * custom-resource-definitions/ describes them: the name must be {@code <plural>.<group>}; once stored, the
 * API server's controllers accept the names and establish the definition (conditions {@code NamesAccepted} and
 * {@code Established} True, {@code acceptedNames}, {@code storedVersions}), and every served version of the kind
 * appears in discovery and is served, namespaced or cluster-wide as {@code spec.scope} says, with the status
 * subresource when the version declares it. Deleting a definition deletes its objects first. Simulated: the
 * conditions are written right after the definition is stored, in the same request; schemas are not checked.
 */
final class CustomResourceDefinitions {

  static final String GROUP = "apiextensions.k8s.io";
  static final String PATH = "/apis/" + GROUP + "/v1/customresourcedefinitions";
  /** The API server's own controllers write the definition's status. */
  static final String MANAGER = "kube-apiserver";

  private static final ObjectMapper JSON = Serialization.jsonMapper();

  private final KubernetesCrudDispatcher crud;
  private volatile List<Discovery.Resource> cached;

  CustomResourceDefinitions(KubernetesCrudDispatcher crud) {
    this.crud = crud;
  }

  static boolean isDefinition(RequestInfo info) {
    return info.resourceRequest() && info.group().equals(GROUP) && info.resource().equals("customresourcedefinitions");
  }

  /** The served versions of every stored definition. */
  List<Discovery.Resource> resources() {
    List<Discovery.Resource> resources = cached;
    if (resources == null) {
      resources = new ArrayList<>();
      for (JsonNode crd : stored()) {
        resources.addAll(resourcesOf(crd));
      }
      cached = resources;
    }
    return resources;
  }

  /** Forget what was read: a definition was written or deleted. */
  void changed() {
    cached = null;
  }

  private List<JsonNode> stored() {
    final MockResponse list = crud.dispatch(RigDispatcher.request(HttpMethod.GET, PATH, null, null));
    final List<JsonNode> items = new ArrayList<>();
    if (list.code() == 200 && list.getBody() != null) {
      try {
        JSON.readTree(new String(list.getBody().getBytes(), StandardCharsets.UTF_8)).path("items")
            .forEach(items::add);
      } catch (Exception e) {
        throw new IllegalStateException("the stored CustomResourceDefinitions are not JSON", e);
      }
    }
    return items;
  }

  private static List<Discovery.Resource> resourcesOf(JsonNode crd) {
    final JsonNode spec = crd.path("spec");
    final JsonNode names = spec.path("names");
    final List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
    final List<Discovery.Resource> resources = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      final List<String> subresources = new ArrayList<>();
      version.path("subresources").fieldNames().forEachRemaining(subresources::add);
      resources.add(new Discovery.Resource(spec.path("group").asText(), version.path("name").asText(),
          names.path("plural").asText(), names.path("kind").asText(),
          !"Cluster".equals(spec.path("scope").asText()), shortNames, subresources, false));
    }
    return resources;
  }

  /**
   * The API server's validation of a definition before it is stored (name, group, names, scope, one storage
   * version); null when it is valid.
   */
  static MockResponse invalid(JsonNode crd) {
    final JsonNode spec = crd.path("spec");
    final String name = crd.path("metadata").path("name").asText();
    final String expected = spec.path("names").path("plural").asText() + "." + spec.path("group").asText();
    final List<String[]> causes = new ArrayList<>();
    if (!name.equals(expected)) {
      causes.add(new String[] { "metadata.name", "Invalid value: \"" + name
          + "\": must be spec.names.plural+\".\"+spec.group" });
    }
    if (!spec.path("names").path("kind").isTextual()) {
      causes.add(new String[] { "spec.names.kind", "Required value" });
    }
    if (!List.of("Namespaced", "Cluster").contains(spec.path("scope").asText())) {
      causes.add(new String[] { "spec.scope", "Unsupported value: \"" + spec.path("scope").asText()
          + "\": supported values: \"Cluster\", \"Namespaced\"" });
    }
    int storage = 0;
    for (JsonNode v : spec.path("versions")) {
      storage += v.path("storage").asBoolean() ? 1 : 0;
    }
    if (storage != 1) {
      causes.add(new String[] { "spec.versions", "Invalid value: must have exactly one version marked as storage"
          + " version" });
    }
    if (causes.isEmpty()) {
      return null;
    }
    final StringBuilder message = new StringBuilder("CustomResourceDefinition.apiextensions.k8s.io \"" + name
        + "\" is invalid: ");
    final ObjectNode details = JsonNodeFactory.instance.objectNode().put("name", name).put("group", GROUP)
        .put("kind", "CustomResourceDefinition");
    final ArrayNode causeList = details.putArray("causes");
    for (int i = 0; i < causes.size(); i++) {
      message.append(i == 0 ? "" : ", ").append(causes.get(i)[0]).append(": ").append(causes.get(i)[1]);
      causeList.addObject().put("reason", "FieldValueInvalid").put("message", causes.get(i)[1])
          .put("field", causes.get(i)[0]);
    }
    return RigDispatcher.status(422, "Invalid", message.toString(), details);
  }

  /**
   * The status the API server's controllers give a stored definition, as a merge patch of {@code status}; null
   * when it has it already.
   */
  private static String establishedStatus(JsonNode crd) {
    final JsonNode spec = crd.path("spec");
    final JsonNode names = spec.path("names");
    final ObjectNode accepted = JsonNodeFactory.instance.objectNode();
    final String kind = names.path("kind").asText();
    accepted.put("kind", kind).put("listKind", names.path("listKind").asText(kind + "List"))
        .put("plural", names.path("plural").asText())
        .put("singular", names.path("singular").asText(kind.toLowerCase(Locale.ROOT)));
    if (names.has("shortNames")) {
      accepted.set("shortNames", names.get("shortNames"));
    }
    final JsonNode current = crd.path("status");
    final ArrayNode stored = JsonNodeFactory.instance.arrayNode();
    current.path("storedVersions").forEach(stored::add);
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean() && !contains(stored, v.path("name").asText())) {
        stored.add(v.path("name").asText());
      }
    }
    if (accepted.equals(current.path("acceptedNames")) && stored.equals(current.path("storedVersions"))
        && isTrue(current, "NamesAccepted") && isTrue(current, "Established")) {
      return null;
    }
    final String now = ManagedFields.now();
    final ObjectNode status = JsonNodeFactory.instance.objectNode();
    final ObjectNode patch = JsonNodeFactory.instance.objectNode().set("status", status);
    status.set("acceptedNames", accepted);
    final ArrayNode conditions = status.putArray("conditions");
    conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("lastTransitionTime",
        transition(current, "NamesAccepted", now)).put("reason", "NoConflicts").put("message", "no conflicts found");
    conditions.addObject().put("type", "Established").put("status", "True").put("lastTransitionTime",
        transition(current, "Established", now)).put("reason", "InitialNamesAccepted")
        .put("message", "the initial names have been accepted");
    status.set("storedVersions", stored);
    return patch.toString();
  }

  private static boolean contains(JsonNode array, String text) {
    for (JsonNode item : array) {
      if (item.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  private static String transition(JsonNode status, String type, String now) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return c.path("lastTransitionTime").asText(now);
      }
    }
    return now;
  }

  /** Deletes every object of the definition (all served versions, all namespaces), before the definition goes. */
  void deleteObjectsOf(String definition) {
    for (JsonNode crd : stored()) {
      if (!crd.path("metadata").path("name").asText().equals(definition)) {
        continue;
      }
      for (Discovery.Resource r : resourcesOf(crd)) {
        crud.dispatch(RigDispatcher.request(HttpMethod.DELETE, "/apis/" + r.group() + "/" + r.version() + "/"
            + r.plural(), null, null));
      }
    }
  }

  /** After a definition was stored: its status as the API server's controllers write it, if it lacks it. */
  void established(RequestInfo definition, JsonNode stored, ObjectWrites writes) {
    changed();
    final String patch = establishedStatus(stored);
    if (patch != null) {
      writes.patch(RequestInfo.of(HttpMethod.PATCH, definition.objectPath().orElseThrow() + "/status", Map.of()),
          "application/merge-patch+json", patch, Map.of("fieldManager", MANAGER), null);
    }
  }
}
