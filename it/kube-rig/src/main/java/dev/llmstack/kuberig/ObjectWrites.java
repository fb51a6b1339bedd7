package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.JsonPatch;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Every create, update and patch of an object, done as the API server does it before the mock stores the result:
 * status stays as the write's {@link WriteScope} says, {@code metadata.managedFields} records who changed what
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management), merge patches follow
 * RFC 7386 (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/), JSON patches
 * RFC 6902, and {@code application/apply-patch+yaml} is {@link ServerSideApply}. The mock then stores the finished
 * object with a plain POST or PUT (it keeps uid, creationTimestamp, bumps resourceVersion on a change and generation
 * on a change outside metadata and status, and checks a resourceVersion precondition).
 */
final class ObjectWrites {

  private static final ObjectMapper JSON = Serialization.jsonMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Value-typed structs of the Go types: present (empty) in the zero object an update of a create is compared to. */
  private static final List<List<String>> ZERO_VALUE_STRUCTS = List.of(List.of("metadata"), List.of("spec"),
      List.of("spec", "template"), List.of("spec", "template", "metadata"), List.of("spec", "template", "spec"),
      List.of("spec", "jobTemplate"), List.of("spec", "jobTemplate", "spec"),
      List.of("spec", "jobTemplate", "spec", "template"), List.of("spec", "jobTemplate", "spec", "template", "spec"));

  private final KubernetesCrudDispatcher crud;
  private final Discovery types;
  private volatile BiConsumer<RequestInfo, JsonNode> afterWrite = (info, object) -> {
  };


  /** @param types the resource types served: whether a kind has a status subresource, is built in */
  ObjectWrites(KubernetesCrudDispatcher crud, Discovery types) {
    this.crud = crud;
    this.types = types;
  }

  /**
   * Called (under the rig's write lock, on the request's thread) after each write that stored an object, with the
   * object's path (no subresource) and the object as stored.
   */
  void afterEachWrite(BiConsumer<RequestInfo, JsonNode> hook) {
    this.afterWrite = hook;
  }

  // ---------------------------------------------------------------- create

  MockResponse create(RequestInfo info, String body, String manager) {
    final JsonNode parsed = readJson(body);
    if (!(parsed instanceof ObjectNode) || !parsed.path("metadata").isObject()) {
      return RigDispatcher.status(400, "BadRequest", "the request body must be an object with metadata");
    }
    final FieldSet changed = walksFor(info, parsed).compare(zeroValue(parsed),
        scopeOf(info).managedPart(parsed)).addedOrModified();
    return store(info, createdObject(info, (ObjectNode) parsed, ManagedFields.UPDATE, manager, changed), true);
  }

  /**
   * The object a create stores: server metadata dropped, status dropped where the main resource leaves it alone (a
   * Namespace starts {@code Active}, a Pod and a PVC {@code Pending}), and the creator's managedFields entry.
   */
  private ObjectNode createdObject(RequestInfo info, ObjectNode object, String operation, String manager,
      FieldSet owned) {
    final ObjectNode created = object.deepCopy();
    final ObjectNode meta = (ObjectNode) created.get("metadata");
    meta.remove(WriteScope.SERVER_SET_METADATA);
    if (scopeOf(info) == WriteScope.MAIN_KEEPING_STATUS) {
      created.remove("status");
      initialStatus(info, created);
    }
    final String apiVersion = created.path("apiVersion").asText(info.apiVersion());
    setManagedFields(created, owned.isEmpty() ? List.of()
        : List.of(ManagedFields.entry(manager, operation, apiVersion, "", owned)));
    return created;
  }

  private static void initialStatus(RequestInfo info, ObjectNode body) {
    if (!info.group().isEmpty()) {
      return;
    }
    switch (info.resource()) {
      case "namespaces" -> body.putObject("status").put("phase", "Active");
      case "pods" -> body.putObject("status").put("phase", "Pending").put("qosClass", "BestEffort");
      case "persistentvolumeclaims" -> body.putObject("status").put("phase", "Pending");
      default -> {
      }
    }
  }

  /** Empty objects where the Go type has value structs: an update does not own those as a whole. */
  private static ObjectNode zeroValue(JsonNode object) {
    final ObjectNode zero = JsonNodeFactory.instance.objectNode();
    for (List<String> path : ZERO_VALUE_STRUCTS) {
      JsonNode in = object;
      ObjectNode out = zero;
      for (String name : path) {
        in = in.path(name);
        if (!in.isObject()) {
          break;
        }
        out = out.has(name) ? (ObjectNode) out.get(name) : out.putObject(name);
      }
    }
    return zero;
  }

  // ---------------------------------------------------------------- update (PUT) and patches

  MockResponse replace(RequestInfo info, String body, String manager) {
    final JsonNode live = current(info);
    if (live == null) {
      return notFound(info);
    }
    final JsonNode parsed = readJson(body);
    if (!(parsed instanceof ObjectNode)) {
      return RigDispatcher.status(400, "BadRequest", "the request body must be an object");
    }
    return update(info, live, (ObjectNode) parsed, manager);
  }

  MockResponse patch(RequestInfo info, String contentType, String body, Map<String, String> query,
      String userAgent) {
    final String type = contentType == null ? "" : contentType;
    if (type.startsWith("application/apply-patch")) {
      return apply(info, body, query);
    }
    final String manager = ManagedFields.updateManager(query.get("fieldManager"), userAgent);
    final JsonNode live = current(info);
    if (live == null) {
      return notFound(info);
    }
    final JsonNode patched;
    if (type.startsWith("application/merge-patch+json") || type.startsWith("application/strategic-merge-patch+json")) {
      patched = mergeRfc7386(live.deepCopy(), readJson(body));
    } else if (type.startsWith("application/json-patch+json")) {
      try {
        patched = JsonPatch.apply(readJson(body), live);
      } catch (RuntimeException e) {
        return RigDispatcher.status(422, "Invalid", "the JSON patch cannot be applied: " + e.getMessage());
      }
    } else {
      return RigDispatcher.status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
          + "accepted media types include: application/json-patch+json, application/merge-patch+json,"
          + " application/apply-patch+yaml");
    }
    if (!(patched instanceof ObjectNode)) {
      return RigDispatcher.status(422, "Invalid", "the patch does not leave an object");
    }
    return update(info, live, (ObjectNode) patched, manager);
  }

  /** A new version of the whole object (PUT body, or the live object patched): stored as the scope allows. */
  private MockResponse update(RequestInfo info, JsonNode live, ObjectNode next, String manager) {
    final WriteScope scope = scopeOf(info);
    final ObjectNode stored = scope.recombine(live, scope.managedPart(next),
        scope == WriteScope.STATUS ? null : next.path("apiVersion").asText(info.apiVersion()));
    final JsonNode precondition = next.path("metadata").get("resourceVersion");
    if (precondition != null && !precondition.asText().isEmpty()) {
      ((ObjectNode) stored.get("metadata")).set("resourceVersion", precondition);
    }
    final FieldWalks.Comparison change = walksFor(info, live).compare(scope.managedPart(live),
        scope.managedPart(stored));
    setManagedFields(stored, ManagedFields.afterUpdate(ManagedFields.read(live), change, manager,
        info.apiVersion(), scope.subresource()));
    return store(info, stored, false);
  }

  // ---------------------------------------------------------------- server-side apply

  private MockResponse apply(RequestInfo info, String body, Map<String, String> query) {
    final String manager = query.get("fieldManager");
    if (manager == null || manager.isEmpty()) {
      return RigDispatcher.status(400, "BadRequest", "PATCH with application/apply-patch+yaml requires the"
          + " fieldManager parameter");
    }
    final JsonNode parsed;
    try {
      parsed = YAML.readTree(body);
    } catch (Exception e) {
      return RigDispatcher.status(400, "BadRequest", "the apply body is neither JSON nor YAML: " + e.getMessage());
    }
    if (!(parsed instanceof ObjectNode) || !parsed.path("metadata").isObject()) {
      return RigDispatcher.status(400, "BadRequest", "the apply body must be an object with metadata");
    }
    final ObjectNode applied = (ObjectNode) parsed;
    if (!applied.hasNonNull("kind") || !applied.hasNonNull("apiVersion")) {
      return RigDispatcher.status(400, "BadRequest", "the applied object needs apiVersion and kind");
    }
    final ObjectNode appliedMeta = (ObjectNode) applied.get("metadata");
    if (appliedMeta.hasNonNull("name") && !info.name().equals(appliedMeta.get("name").asText())) {
      return RigDispatcher.status(400, "BadRequest", "the name of the object (" + appliedMeta.get("name").asText()
          + ") does not match the name on the URL (" + info.name() + ")");
    }
    appliedMeta.put("name", info.name());
    final WriteScope scope = scopeOf(info);
    final FieldWalks walks = walksFor(info, applied);
    final JsonNode live = current(info);
    if (live == null) {
      if (scope == WriteScope.STATUS) {
        return notFound(info);
      }
      return store(info, createdObject(info, applied, ManagedFields.APPLY, manager,
          walks.fieldsOf(scope.managedPart(applied))), true);
    }
    final List<ManagedFields.Entry> before = ManagedFields.read(live);
    final ServerSideApply.Outcome outcome = ServerSideApply.apply(walks, scope.managedPart(live),
        scope.managedPart(applied), before, manager, applied.get("apiVersion").asText(), scope.subresource(),
        "true".equals(query.get("force")));
    if (outcome.conflict() != null) {
      return outcome.conflict();
    }
    final ObjectNode stored = scope.recombine(live, outcome.merged(),
        scope == WriteScope.STATUS ? null : applied.get("apiVersion").asText());
    if (normalized(stored).equals(normalized(live)) && sameOwnership(before, outcome.entries())) {
      return RigDispatcher.json(200, live.toString()); // a no-op keeps resourceVersion and managedFields' times
    }
    setManagedFields(stored, outcome.entries());
    return store(info, stored, false);
  }

  private static boolean sameOwnership(List<ManagedFields.Entry> a, List<ManagedFields.Entry> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (ManagedFields.Entry e : a) {
      if (b.stream().noneMatch(o -> o.sameManagerAs(e) && o.fields().equals(e.fields()))) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- storing

  private MockResponse store(RequestInfo info, ObjectNode object, boolean create) {
    if (CustomResourceDefinitions.isDefinition(info) && scopeOf(info) != WriteScope.STATUS) {
      final MockResponse invalid = CustomResourceDefinitions.invalid(object);
      if (invalid != null) {
        return invalid;
      }
    }
    final MockResponse response = create
        ? crud.dispatch(RigDispatcher.request(HttpMethod.POST, info.collectionPath(), object.toString(),
            "application/json"))
        : crud.dispatch(RigDispatcher.request(HttpMethod.PUT, info.objectPath().orElseThrow(), object.toString(),
            "application/json"));
    if ((response.code() == 200 || response.code() == 201) && response.getBody() != null) {
      final JsonNode stored = readJson(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
      final String name = stored.path("metadata").path("name").asText("");
      if (!name.isEmpty()) {
        afterWrite.accept(RequestInfo.of(HttpMethod.PATCH, info.collectionPath() + "/" + name, Map.of()), stored);
      }
    }
    return response;
  }

  private static void setManagedFields(ObjectNode object, List<ManagedFields.Entry> entries) {
    final ObjectNode meta = (ObjectNode) object.get("metadata");
    final ArrayNode json = ManagedFields.toJson(entries);
    if (json == null) {
      meta.remove("managedFields");
    } else {
      meta.set("managedFields", json);
    }
  }

  WriteScope scopeOf(RequestInfo info) {
    if (info.subresource().equals("status")) {
      return WriteScope.STATUS;
    }
    return types.resolve(info).map(Discovery.Resource::hasStatus).orElse(false) ? WriteScope.MAIN_KEEPING_STATUS
        : WriteScope.MAIN_WITH_STATUS;
  }

  private FieldWalks walksFor(RequestInfo info, JsonNode object) {
    return new FieldWalks(new ApplySchema(object.path("kind").asText(),
        types.resolve(info).map(Discovery.Resource::builtIn).orElse(false)));
  }

  JsonNode current(RequestInfo info) {
    final MockResponse response = crud.dispatch(RigDispatcher.request(HttpMethod.GET,
        info.objectPath().orElseThrow(), null, null));
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    final JsonNode node = readJson(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
    return node.has("metadata") && !node.has("items") ? node : null;
  }

  /** The API server's 404 for a missing object: {@code deployments.apps "web" not found}. */
  static MockResponse notFound(RequestInfo info) {
    final String qualified = info.group().isEmpty() ? info.resource() : info.resource() + "." + info.group();
    final ObjectNode details = JsonNodeFactory.instance.objectNode().put("name", info.name());
    if (!info.group().isEmpty()) {
      details.put("group", info.group());
    }
    details.put("kind", info.resource());
    return RigDispatcher.status(404, "NotFound", qualified + " \"" + info.name() + "\" not found", details);
  }

  /** Both sides through the mock's own storage round trip, so that representation differences don't count. */
  private static JsonNode normalized(JsonNode node) {
    final ObjectNode copy = (ObjectNode) JSON.valueToTree(
        Serialization.unmarshal(node.toString(), GenericKubernetesResource.class));
    final ObjectNode meta = (ObjectNode) copy.get("metadata");
    if (meta != null) {
      meta.remove("managedFields");
    }
    return copy;
  }

  static JsonNode mergeRfc7386(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    final ObjectNode result = target != null && target.isObject() ? (ObjectNode) target
        : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
      final Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergeRfc7386(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  private static JsonNode readJson(String body) {
    try {
      final JsonNode node = JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
      return node == null ? JsonNodeFactory.instance.objectNode() : node;
    } catch (Exception e) {
      return JsonNodeFactory.instance.textNode(body);
    }
  }
}
