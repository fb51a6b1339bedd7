package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Stream;

/**
 * What a write may change, and so what field management looks at: the main resource of a kind with a status
 * subresource leaves {@code status} alone (the API server resets it there), the {@code status} subresource changes
 * only {@code status}, and a kind without a status subresource treats {@code status} as any other field
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#status-subresource).
 * Fields the server sets (uid, resourceVersion, generation, creationTimestamp, ...) are never the client's and never
 * managed (the field manager strips them, k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager stripmeta.go).
 */
enum WriteScope {
  MAIN_KEEPING_STATUS, MAIN_WITH_STATUS, STATUS;

  /** Metadata the server sets; a create drops what the client sent of it. */
  static final List<String> SERVER_SET_METADATA = List.of("uid", "resourceVersion", "generation",
      "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");
  /** Metadata no manager owns: the object's identity and what the server sets. */
  static final List<String> SERVER_METADATA = Stream.concat(Stream.of("name", "namespace"),
      SERVER_SET_METADATA.stream()).toList();

  String subresource() {
    return this == STATUS ? "status" : "";
  }

  /** The part of an object that managers own (a new object; the input is unchanged). */
  ObjectNode managedPart(JsonNode object) {
    final ObjectNode part = JsonNodeFactory.instance.objectNode();
    if (object == null) {
      return part;
    }
    if (this == STATUS) {
      if (object.has("status")) {
        part.set("status", object.get("status").deepCopy());
      }
      return part;
    }
    object.fields().forEachRemaining(f -> part.set(f.getKey(), f.getValue().deepCopy()));
    part.remove(List.of("apiVersion", "kind"));
    if (this == MAIN_KEEPING_STATUS) {
      part.remove("status");
    }
    if (part.get("metadata") instanceof ObjectNode) {
      final ObjectNode meta = (ObjectNode) part.get("metadata");
      meta.remove(SERVER_METADATA);
      if (meta.size() == 0) {
        part.remove("metadata");
      }
    }
    return part;
  }

  /**
   * The object to store: the managed part, with apiVersion, kind and the server's metadata of {@code base} (the
   * live object, or the request's object for a create) and, where this write leaves status alone, base's status.
   */
  ObjectNode recombine(JsonNode base, JsonNode part, String apiVersion) {
    if (this == STATUS) {
      final ObjectNode stored = base.deepCopy();
      stored.remove("status");
      if (part.has("status")) {
        stored.set("status", part.get("status").deepCopy());
      }
      return stored;
    }
    final ObjectNode stored = JsonNodeFactory.instance.objectNode();
    stored.put("apiVersion", apiVersion != null ? apiVersion : base.path("apiVersion").asText());
    stored.set("kind", base.get("kind"));
    final ObjectNode meta = stored.putObject("metadata");
    for (String f : SERVER_METADATA) {
      if (base.path("metadata").has(f)) {
        meta.set(f, base.path("metadata").get(f).deepCopy());
      }
    }
    if (part.get("metadata") != null) {
      part.get("metadata").fields().forEachRemaining(f -> meta.set(f.getKey(), f.getValue().deepCopy()));
    }
    part.fields().forEachRemaining(f -> {
      if (!f.getKey().equals("metadata")) {
        stored.set(f.getKey(), f.getValue().deepCopy());
      }
    });
    if (this == MAIN_KEEPING_STATUS) {
      stored.remove("status");
      if (base.has("status")) {
        stored.set("status", base.get("status").deepCopy());
      }
    }
    return stored;
  }
}
