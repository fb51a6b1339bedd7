package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code metadata.managedFields}: who owns which fields (https://kubernetes.io/docs/reference/using-api/
 * server-side-apply/#field-management). One entry per manager and operation ({@code Apply} entries are one per
 * manager and subresource, {@code Update} entries one per manager, API version and subresource, as the API server
 * tells managers apart), each with its {@code time} and its fields as {@code FieldsV1}; sorted as the API server
 * sorts them (operation, time, manager, API version, subresource).
 */
final class ManagedFields {

  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  private ManagedFields() {
  }

  record Entry(String manager, String operation, String apiVersion, String time, String subresource,
      FieldSet fields) {

    boolean sameManagerAs(Entry other) {
      return manager.equals(other.manager) && operation.equals(other.operation)
          && subresource.equals(other.subresource) && (operation.equals(APPLY) || apiVersion.equals(other.apiVersion));
    }

    Entry withFields(FieldSet newFields) {
      return new Entry(manager, operation, apiVersion, time, subresource, newFields);
    }

    /** As conflict messages name a manager: {@code "kubectl" using v1} for updates, {@code "llmstack"} for appliers. */
    String describe() {
      final String name = "\"" + manager + "\"" + (subresource.isEmpty() ? ""
          : " with subresource \"" + subresource + "\"");
      return operation.equals(UPDATE) ? name + " using " + apiVersion : name;
    }
  }

  static Entry entry(String manager, String operation, String apiVersion, String subresource, FieldSet fields) {
    return new Entry(manager, operation, apiVersion, now(), subresource, fields);
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static List<Entry> read(JsonNode object) {
    final List<Entry> entries = new ArrayList<>();
    if (object == null) {
      return entries;
    }
    for (JsonNode e : object.path("metadata").path("managedFields")) {
      entries.add(new Entry(e.path("manager").asText(""), e.path("operation").asText(UPDATE),
          e.path("apiVersion").asText(""), e.path("time").asText(null), e.path("subresource").asText(""),
          FieldSet.fromFieldsV1(e.path("fieldsV1"))));
    }
    return entries;
  }

  /** The entries as the API server stores them, or null when there are none. */
  static ArrayNode toJson(List<Entry> entries) {
    if (entries.isEmpty()) {
      return null;
    }
    final List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::operation)
        .thenComparing(e -> e.time() == null ? "" : e.time())
        .thenComparing(Entry::manager).thenComparing(Entry::apiVersion).thenComparing(Entry::subresource));
    final ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (Entry e : sorted) {
      final ObjectNode o = array.addObject();
      o.put("manager", e.manager()).put("operation", e.operation()).put("apiVersion", e.apiVersion());
      if (e.time() != null) {
        o.put("time", e.time());
      }
      o.put("fieldsType", "FieldsV1").set("fieldsV1", e.fields().toFieldsV1());
      if (!e.subresource().isEmpty()) {
        o.put("subresource", e.subresource());
      }
    }
    return array;
  }

  /**
   * After an update (create, PUT, merge or JSON patch): the updater owns what it added or changed, besides what it
   * owned before and did not remove; every other manager loses those fields and the removed ones (an update always
   * forces). Unchanged when nothing changed.
   */
  static List<Entry> afterUpdate(List<Entry> entries, FieldWalks.Comparison change, String manager,
      String apiVersion, String subresource) {
    if (change.isEmpty()) {
      return entries;
    }
    final Entry updater = entry(manager, UPDATE, apiVersion, subresource, new FieldSet());
    final List<Entry> result = new ArrayList<>();
    FieldSet owned = new FieldSet();
    for (Entry e : entries) {
      if (e.sameManagerAs(updater)) {
        owned = e.fields().copy();
        continue;
      }
      final FieldSet kept = e.fields().minus(change.addedOrModified()).minus(change.removed());
      if (!kept.isEmpty()) {
        result.add(e.withFields(kept));
      }
    }
    owned = owned.minus(change.removed());
    owned.addAll(change.addedOrModified());
    if (!owned.isEmpty()) {
      result.add(updater.withFields(owned));
    }
    return result;
  }

  /**
   * The manager of an update request: its {@code fieldManager} parameter, else the User-Agent up to its first
   * {@code /} ({@code kubectl/v1.31.0 (linux/amd64)} → {@code kubectl}), as the API server derives it.
   */
  static String updateManager(String fieldManager, String userAgent) {
    if (fieldManager != null && !fieldManager.isEmpty()) {
      return fieldManager;
    }
    if (userAgent == null) {
      return "";
    }
    final int slash = userAgent.indexOf('/');
    return (slash < 0 ? userAgent : userAgent.substring(0, slash)).trim();
  }
}
