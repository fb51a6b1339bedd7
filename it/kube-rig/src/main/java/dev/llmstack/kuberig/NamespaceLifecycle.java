package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Namespace deletion as the API server and the namespace controller carry it out
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/,
 * https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace):
 * <ul>
 * <li>DELETE answers 200 with the Namespace marked: {@code deletionTimestamp}, {@code spec.finalizers: [kubernetes]},
 * {@code status.phase: Terminating}. {@code default}, {@code kube-system} and {@code kube-public} cannot be deleted
 * (403, the NamespaceLifecycle admission plugin's "this namespace may not be deleted").</li>
 * <li>While Terminating, every create in it is refused: 403 {@code <resource> "<name>" is forbidden: unable to create
 * new content in namespace <ns> because it is being terminated}, cause {@code NamespaceTerminating} (NamespaceLifecycle
 * admission).</li>
 * <li>The namespace controller deletes every namespaced object in it (PVCs too, whatever their labels; pods with
 * their grace period), checks again until nothing is left, then clears {@code spec.finalizers} and removes the
 * Namespace.</li>
 * </ul>
 * The rig sets {@code spec.finalizers} when the deletion starts, not on create as a real server does: the rig's
 * whole-object apply would count the defaulted field as a change at every deploy.
 */
final class NamespaceLifecycle {

  static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");
  /**
   * Before the content goes: a real namespace controller first discovers every resource type and works through them,
   * which takes it a second or more; the rig waits this long so that no client can count on a namespace being
   * emptied at once, and a test can see it Terminating.
   */
  static final long START_DELAY_MILLIS = 300;
  /** Between checks while content remains (pods in their grace period, objects with finalizers). */
  static final long RECHECK_MILLIS = 200;

  private static final Pattern NAMESPACED_COLLECTION = Pattern.compile(
      "^/(?:api/[^/]+|apis/(?<group>[^/]+)/[^/]+)/namespaces/(?<ns>[^/]+)/(?<plural>[^/]+)$");

  private final RigStore store;
  private final Deletions deletions;

  NamespaceLifecycle(RigStore store, Deletions deletions) {
    this.store = store;
    this.deletions = deletions;
  }

  /** NamespaceLifecycle admission for a create: null when allowed, else the 403. */
  MockResponse admitCreate(String collection, JsonNode object) {
    final Matcher m = NAMESPACED_COLLECTION.matcher(collection);
    if (!m.matches()) {
      return null;
    }
    final String ns = m.group("ns");
    final JsonNode namespace = store.get(path(ns));
    if (namespace == null || !"Terminating".equals(namespace.path("status").path("phase").asText())) {
      return null;
    }
    final String resource = m.group("plural") + (m.group("group") == null ? "" : "." + m.group("group"));
    final String name = object.path("metadata").path("name").asText("");
    final ObjectNode status = forbidden(resource + " \"" + name + "\" is forbidden: unable to create new content in"
        + " namespace " + ns + " because it is being terminated", name, m.group("group"), m.group("plural"));
    ((ObjectNode) status.get("details")).putArray("causes").addObject().put("reason", "NamespaceTerminating")
        .put("message", "namespace " + ns + " is being terminated").put("field", "metadata.namespace");
    return RigDispatcher.json(403, status.toString());
  }

  /** DELETE of a Namespace (the caller holds the write lock). */
  MockResponse delete(String name) {
    if (IMMORTAL.contains(name)) {
      return RigDispatcher.json(403, forbidden("namespaces \"" + name + "\" is forbidden: this namespace may not be"
          + " deleted", name, null, "namespaces").toString());
    }
    final JsonNode current = store.get(path(name));
    if (current == null) {
      return RigDispatcher.status(404, "NotFound", "namespaces \"" + name + "\" not found");
    }
    if (current.path("metadata").hasNonNull("deletionTimestamp")) {
      return RigDispatcher.json(200, current.toString());
    }
    final ObjectNode marked = current.deepCopy();
    ((ObjectNode) marked.get("metadata")).put("deletionTimestamp",
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    final ArrayNode finalizers = marked.withObjectProperty("spec").withArrayProperty("finalizers");
    boolean listed = false;
    for (JsonNode f : finalizers) {
      listed |= "kubernetes".equals(f.asText());
    }
    if (!listed) {
      finalizers.add("kubernetes");
    }
    marked.withObjectProperty("status").put("phase", "Terminating");
    final JsonNode stored = store.replace(path(name), marked);
    deletions.schedule(() -> empty(name), START_DELAY_MILLIS);
    return RigDispatcher.json(200, String.valueOf(stored));
  }

  /** The namespace controller: delete the content; once none is left, finalize and remove the Namespace. */
  private void empty(String name) {
    store.writeLock().lock();
    try {
      final JsonNode namespace = store.get(path(name));
      if (namespace == null) {
        return;
      }
      final List<RigStore.Stored> content = store.objects().stream().filter(o -> name.equals(o.namespace()))
          .toList();
      if (content.isEmpty()) {
        final ObjectNode finalized = namespace.deepCopy();
        final ArrayNode kept = finalized.withObjectProperty("spec").putArray("finalizers");
        namespace.path("spec").path("finalizers").forEach(f -> {
          if (!"kubernetes".equals(f.asText())) {
            kept.add(f);
          }
        });
        store.replace(path(name), finalized);
        deletions.removeNow(path(name));
        return;
      }
      for (RigStore.Stored o : content) {
        if (!o.terminating()) {
          deletions.deleteObject(o.path(), DeleteOptions.BACKGROUND);
        }
      }
    } finally {
      store.writeLock().unlock();
    }
    deletions.schedule(() -> empty(name), RECHECK_MILLIS);
  }

  private static String path(String name) {
    return "/api/v1/namespaces/" + name;
  }

  private static ObjectNode forbidden(String message, String name, String group, String kind) {
    final ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", "Forbidden");
    final ObjectNode details = status.putObject("details").put("name", name);
    if (group != null) {
      details.put("group", group);
    }
    details.put("kind", kind);
    status.put("code", 403);
    return status;
  }
}
