package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side apply onto a live object with per-field ownership, as https://kubernetes.io/docs/reference/using-api/
 * server-side-apply/ describes it (and sigs.k8s.io/structured-merge-diff's {@code Updater.Apply} does it): the
 * applied configuration is merged onto the live object; fields the manager applied last time and no longer applies
 * are removed unless another manager owns them; a field another manager owns whose value would change is a
 * conflict (409 {@code Conflict}, one cause per field) unless {@code force=true}, which takes it from them; the same
 * value is shared ownership. The manager then owns exactly the fields of its configuration.
 */
final class ServerSideApply {

  private ServerSideApply() {
  }

  /** The managed part after the apply and the new managedFields entries; or the 409 answer. */
  record Outcome(JsonNode merged, List<ManagedFields.Entry> entries, MockResponse conflict) {
  }

  static Outcome apply(FieldWalks walks, JsonNode live, JsonNode applied, List<ManagedFields.Entry> entries,
      String manager, String apiVersion, String subresource, boolean force) {
    final ManagedFields.Entry applier = ManagedFields.entry(manager, ManagedFields.APPLY, apiVersion, subresource,
        walks.fieldsOf(applied));
    final List<ManagedFields.Entry> others = new ArrayList<>();
    FieldSet previouslyApplied = new FieldSet();
    for (ManagedFields.Entry e : entries) {
      if (e.sameManagerAs(applier)) {
        previouslyApplied = e.fields();
      } else {
        others.add(e);
      }
    }
    final FieldSet ownedByAny = applier.fields().copy();
    others.forEach(e -> ownedByAny.addAll(e.fields()));

    final JsonNode merged = walks.merge(live, applied);
    for (FieldPath dropped : previouslyApplied.minus(applier.fields()).paths()) {
      if (!ownedByAny.touches(dropped)) {
        walks.remove(merged, dropped, ownedByAny::contains);
      }
    }
    final FieldWalks.Comparison change = walks.compare(live, merged);

    final Map<ManagedFields.Entry, FieldSet> conflicts = new TreeMap<>(ServerSideApply::byName);
    for (ManagedFields.Entry e : others) {
      final FieldSet taken = e.fields().intersection(change.addedOrModified());
      if (!taken.isEmpty()) {
        conflicts.put(e, taken);
      }
    }
    if (!force && !conflicts.isEmpty()) {
      return new Outcome(null, null, conflictStatus(conflicts));
    }
    final List<ManagedFields.Entry> result = new ArrayList<>();
    for (ManagedFields.Entry e : others) {
      final FieldSet kept = e.fields().minus(change.addedOrModified()).minus(change.removed());
      if (!kept.isEmpty()) {
        result.add(e.withFields(kept));
      }
    }
    result.add(applier);
    return new Outcome(merged, result, null);
  }

  private static int byName(ManagedFields.Entry a, ManagedFields.Entry b) {
    return (a.manager() + "\u0000" + a.operation() + "\u0000" + a.apiVersion() + "\u0000" + a.subresource())
        .compareTo(b.manager() + "\u0000" + b.operation() + "\u0000" + b.apiVersion() + "\u0000" + b.subresource());
  }

  /**
   * As the API server words it (k8s.io/apiserver fieldmanager internal/conflict.go): {@code Apply failed with 1
   * conflict: conflict with "kubectl" using v1: .spec.replicas}, or for several {@code Apply failed with N conflicts:
   * conflicts with "a" using v1:\n- .x\n- .y} per manager; a cause {@code FieldManagerConflict} per field.
   */
  private static MockResponse conflictStatus(Map<ManagedFields.Entry, FieldSet> conflicts) {
    final ArrayNode causes = JsonNodeFactory.instance.arrayNode();
    final List<String> lines = new ArrayList<>();
    int count = 0;
    String single = null;
    for (Map.Entry<ManagedFields.Entry, FieldSet> c : conflicts.entrySet()) {
      lines.add("conflicts with " + c.getKey().describe() + ":");
      for (FieldPath path : c.getValue().paths()) {
        count++;
        lines.add("- " + path);
        single = "conflict with " + c.getKey().describe() + ": " + path;
        causes.addObject().put("reason", "FieldManagerConflict")
            .put("message", "conflict with " + c.getKey().describe()).put("field", path.toString());
      }
    }
    final String message = count == 1 ? "Apply failed with 1 conflict: " + single
        : "Apply failed with " + count + " conflicts: " + String.join("\n", lines);
    final ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.set("causes", causes);
    return RigDispatcher.status(409, "Conflict", message, details);
  }
}
