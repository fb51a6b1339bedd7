package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DELETE as the API server and the controllers around it carry it out, on top of the mock's storage (which only
 * removes the object, or marks it when it has finalizers):
 * <ul>
 * <li>dependents go by their ownerReferences ({@link GarbageCollector}: background; {@code propagationPolicy: Orphan}
 * strips the references first, as a DELETE of a batch/v1 Job without a policy does: {@link DeleteOptions#orphans});</li>
 * <li>a Namespace turns Terminating and is emptied ({@link NamespaceLifecycle});</li>
 * <li>a pod annotated {@value #TERMINATING_SECONDS_ANNOTATION}: N keeps existing N seconds with its
 * {@code deletionTimestamp} (the rig's stand-in for {@code terminationGracePeriodSeconds}, default 0: gone at once;
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination).</li>
 * </ul>
 * The garbage collector, the namespace controller and the end of grace periods run on one thread of their own,
 * "kube-rig-controller-manager"; every write holds the store's write lock.
 */
final class Deletions implements AutoCloseable {

  /** Pod annotation: seconds the pod lingers with its deletionTimestamp once deleted (default 0). */
  static final String TERMINATING_SECONDS_ANNOTATION = "rig.llmstack.dev/terminating-seconds";

  private static final Pattern OBJECT_PATH = Pattern.compile(
      "^/(?:api/[^/]+|apis/[^/]+/[^/]+)(?:/namespaces/(?<ns>[^/]+))?/(?<plural>[^/]+)(?:/(?<name>[^/]+))?$");

  private final RigStore store;
  private final Runnable afterRemoval;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    final Thread t = new Thread(r, "kube-rig-controller-manager");
    t.setDaemon(true);
    return t;
  });
  private final GarbageCollector garbage;
  private final NamespaceLifecycle namespaces;

  /**
   * @param afterRemoval run after every removal (and at the start of a pod's grace period): stops what served the
   *     pods that are gone
   */
  Deletions(RigStore store, Runnable afterRemoval) {
    this.store = store;
    this.afterRemoval = afterRemoval;
    this.garbage = new GarbageCollector(store, this);
    this.namespaces = new NamespaceLifecycle(store, this);
    store.admitCreatesWith(namespaces::admitCreate);
    store.onCreateWithOwners(garbage::collect);
    store.onRemovalByUpdate(() -> {
      garbage.collect();
      afterRemoval.run();
    });
  }

  /** A DELETE request on a path (one object, or a collection with its selector), answered as the API server does. */
  MockResponse delete(String pathAndQuery, Map<String, String> query, String body) {
    final String path = RigStore.withoutQuery(pathAndQuery);
    final Matcher m = OBJECT_PATH.matcher(path);
    if (!m.matches()) {
      return store.dispatch(RigDispatcher.request(HttpMethod.DELETE, pathAndQuery, body, "application/json"));
    }
    final DeleteOptions options = DeleteOptions.of(query, body);
    store.writeLock().lock();
    try {
      return m.group("name") == null ? deleteCollection(pathAndQuery, options) : deleteObject(path, options);
    } finally {
      store.writeLock().unlock();
    }
  }

  /** Deletes the object at a path with these options; the answer is the API server's. */
  MockResponse deleteObject(String path, DeleteOptions options) {
    store.writeLock().lock();
    try {
      final Matcher m = OBJECT_PATH.matcher(path);
      if (m.matches() && m.group("ns") == null && "namespaces".equals(m.group("plural"))) {
        return namespaces.delete(m.group("name"));
      }
      final JsonNode current = store.get(path);
      if (current == null) {
        return store.dispatch(RigDispatcher.request(HttpMethod.DELETE, path, null, null));
      }
      final boolean pod = m.matches() && "pods".equals(m.group("plural"));
      if (current.path("metadata").hasNonNull("deletionTimestamp")) {
        return pod && Long.valueOf(0).equals(options.gracePeriodSeconds()) ? removeNow(path)
            : RigDispatcher.json(200, current.toString());
      }
      if (options.orphans(path)) {
        garbage.orphanDependentsOf(current.path("metadata").path("uid").asText());
      }
      final long grace = pod ? graceSeconds(current, options) : 0;
      final MockResponse answer = grace > 0 ? startGracePeriod(path, (ObjectNode) current, grace) : removeNow(path);
      if (options.propagationPolicy() == null && DeleteOptions.orphansByDefault(path)) {
        answer.setHeader("Warning", "299 - \"" + DeleteOptions.JOB_ORPHANS_WARNING + "\"");
      }
      return answer;
    } finally {
      store.writeLock().unlock();
    }
  }

  /** Removes the object from storage now (the mock keeps one with finalizers, marked), then collects garbage. */
  MockResponse removeNow(String path) {
    store.writeLock().lock();
    try {
      final MockResponse response = store.dispatch(RigDispatcher.request(HttpMethod.DELETE, path, null, null));
      if (response.code() == 200) {
        garbage.collect();
        afterRemoval.run();
      }
      return response;
    } finally {
      store.writeLock().unlock();
    }
  }

  /** Runs a task of the controller manager's thread after a delay (none when the rig is closing). */
  void schedule(Runnable task, long delayMillis) {
    try {
      executor.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          System.err.println("kube rig: controller manager task failed: " + e);
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private MockResponse deleteCollection(String pathAndQuery, DeleteOptions options) {
    final MockResponse listed = store.dispatch(RigDispatcher.request(HttpMethod.GET, pathAndQuery, null, null));
    if (listed.code() != 200) {
      return listed;
    }
    final JsonNode list = readTree(listed);
    final ArrayNode deleted = JsonNodeFactory.instance.arrayNode();
    for (JsonNode item : list.path("items")) {
      final MockResponse one = deleteObject(itemPath(RigStore.withoutQuery(pathAndQuery), item), options);
      if (one.code() == 200) {
        deleted.add(readTree(one));
      }
    }
    final ObjectNode answer = JsonNodeFactory.instance.objectNode();
    answer.put("apiVersion", "v1").put("kind", "List").set("items", deleted);
    answer.putObject("metadata");
    return RigDispatcher.json(200, answer.toString());
  }

  /** The path of one item of a collection; a collection of all namespaces gets the item's namespace inserted. */
  private static String itemPath(String collection, JsonNode item) {
    final String name = item.path("metadata").path("name").asText();
    final String namespace = item.path("metadata").path("namespace").asText("");
    if (namespace.isEmpty() || collection.contains("/namespaces/")) {
      return collection + "/" + name;
    }
    final int plural = collection.lastIndexOf('/');
    return collection.substring(0, plural) + "/namespaces/" + namespace + collection.substring(plural) + "/" + name;
  }

  private static long graceSeconds(JsonNode pod, DeleteOptions options) {
    long seconds = 0;
    try {
      seconds = Math.max(0, Long.parseLong(pod.path("metadata").path("annotations")
          .path(TERMINATING_SECONDS_ANNOTATION).asText("0").trim()));
    } catch (NumberFormatException e) {
      // not a number: gone at once
    }
    return options.gracePeriodSeconds() == null ? seconds : Math.min(seconds, options.gracePeriodSeconds());
  }

  /**
   * The pod stays, with {@code deletionTimestamp} = now + grace and {@code deletionGracePeriodSeconds}, its status as
   * it was; it is removed when the grace period ends (a real kubelet stops the containers and confirms earlier if
   * they exit sooner).
   */
  private MockResponse startGracePeriod(String path, ObjectNode pod, long grace) {
    final ObjectNode meta = (ObjectNode) pod.get("metadata");
    meta.put("deletionTimestamp", Instant.now().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("deletionGracePeriodSeconds", grace);
    final JsonNode stored = store.replace(path, pod);
    afterRemoval.run();
    final String uid = meta.path("uid").asText();
    schedule(() -> {
      final JsonNode current = store.get(path);
      if (current != null && uid.equals(current.path("metadata").path("uid").asText())) {
        removeNow(path);
      }
    }, grace * 1000);
    return RigDispatcher.json(200, String.valueOf(stored));
  }

  private static JsonNode readTree(MockResponse response) {
    try {
      return Serialization.jsonMapper().readTree(response.getBody() == null ? "{}"
          : new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return JsonNodeFactory.instance.objectNode();
    }
  }
}
