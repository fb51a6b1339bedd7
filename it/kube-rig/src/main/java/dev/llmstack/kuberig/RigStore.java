package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * fabric8's CRUD dispatcher (the mock API server's storage) with what the rig's API server and controllers need
 * beyond its HTTP verbs:
 * <ul>
 * <li>every stored object with its path ({@link #objects()}), for the garbage collector and the namespace
 * controller;</li>
 * <li>{@link #replace}: a write that keeps a {@code deletionTimestamp} on an object without finalizers (a pod in its
 * grace period, a Terminating namespace). The mock's own PUT deletes such an object at once; {@link #handleUpdate}
 * stores a client's update of one instead, and reports a removal by update ({@link #onRemovalByUpdate});</li>
 * <li>watches ({@link Watches}) in place of the mock's;</li>
 * <li>create-time admission ({@link #admitCreatesWith}, NamespaceLifecycle's refusal) and the Job selector the
 * API server defaults on create.</li>
 * </ul>
 * Every write of the rig holds {@link #writeLock()}.
 */
final class RigStore extends KubernetesCrudDispatcher {

  private static final ObjectMapper JSON = Serialization.jsonMapper();

  /** One stored object: its API path ({@code /api/v1/namespaces/ns/pods/p}) and its JSON. */
  record Stored(String path, JsonNode object) {
    String uid() {
      return object.path("metadata").path("uid").asText();
    }

    String namespace() {
      return object.path("metadata").path("namespace").asText(null);
    }

    boolean terminating() {
      return object.path("metadata").hasNonNull("deletionTimestamp");
    }
  }

  /**
   * The mock's own status handling is off: {@link ObjectWrites} applies the API server's rules (it lost a custom
   * resource's {@code /status} writes).
   */
  @Override
  public boolean isStatusSubresourceEnabledForResource(String path) {
    return false;
  }

  private final ReentrantLock writeLock = new ReentrantLock();
  private final Watches watches = new Watches(writeLock, getMap());
  private volatile BiFunction<String, JsonNode, MockResponse> createAdmission = (path, object) -> null;
  private volatile Runnable onCreateWithOwners = () -> {
  };
  private volatile Runnable onRemovalByUpdate = () -> {
  };

  ReentrantLock writeLock() {
    return writeLock;
  }

  /** Called before every create with the collection path and the object; a non-null answer refuses it. */
  void admitCreatesWith(BiFunction<String, JsonNode, MockResponse> admission) {
    this.createAdmission = admission;
  }

  /** Called after an object with ownerReferences was created (its owner may be gone already). */
  void onCreateWithOwners(Runnable listener) {
    this.onCreateWithOwners = listener;
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    final String path = withoutQuery(request.getPath());
    final JsonNode object = parse(request.getBody() == null ? ""
        : new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
    if (!(object instanceof ObjectNode) || !object.path("metadata").isObject()) {
      return super.handleCreate(request);
    }
    final MockResponse refused = createAdmission.apply(path, object);
    if (refused != null) {
      return refused;
    }
    final MockResponse created = isJobCollection(path) ? createJob(path, (ObjectNode) object)
        : super.handleCreate(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
            request.getHeaders(), new Buffer(object.toString().getBytes(StandardCharsets.UTF_8))));
    if (created.code() == 201 && object.path("metadata").path("ownerReferences").size() > 0) {
      onCreateWithOwners.run();
    }
    return created;
  }

  /** A watch ({@code ?watch=true}) of the objects the path and its label and field selectors name: {@link Watches}. */
  @Override
  public MockResponse handleWatch(String path) {
    return watches.watch(getAttributeExtractor().fromPath(path));
  }

  /**
   * The mock's storage of a change (its own watch list stays empty), then the rig's watches get it. The object's new
   * key is worked out as the mock's does it.
   */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    final String oldState = oldAttributes == null ? null : getMap().get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (Objects.equals(oldState, newState)) {
      return;
    }
    AttributeSet newAttributes = null;
    if (newState != null) {
      final KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) getAttributeExtractor();
      newAttributes = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
      if (!newAttributes.containsKey(KubernetesAttributesExtractor.PLURAL)) {
        newAttributes = AttributeSet.merge(pathAttributes, newAttributes);
      }
    }
    watches.changed(oldState == null ? null : oldAttributes, oldState, newAttributes, newState);
  }

  /** Called after an update removed an object (the last finalizer of one being deleted went). */
  void onRemovalByUpdate(Runnable listener) {
    this.onRemovalByUpdate = listener;
  }

  /**
   * An update (the whole object, as {@link ObjectWrites} stores every write) as the API server does it for an object
   * being deleted. The mock removes any object whose update carries a {@code deletionTimestamp} and no finalizers;
   * a real server removes it only when that update takes its last finalizer away. A pod in its grace period and a
   * Terminating Namespace carry a {@code deletionTimestamp} without finalizers for a while (the kubelet's, the
   * namespace controller's work): updates of them are stored, and they go when their deletion is done.
   */
  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    writeLock.lock();
    try {
      final String path = withoutQuery(request.getPath());
      final JsonNode current = get(path);
      final JsonNode next = parse(request.getBody() == null ? ""
          : new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
      if (current != null && lingering(current) && next instanceof ObjectNode && next.path("metadata").isObject()) {
        return updateLingering(path, current, (ObjectNode) next);
      }
      final MockResponse response = super.handleUpdate(request);
      if (current != null && response.code() == 200 && get(path) == null) {
        onRemovalByUpdate.run();
      }
      return response;
    } finally {
      writeLock.unlock();
    }
  }

  /** Being deleted, without finalizers: a pod in its grace period, a Terminating Namespace. */
  private static boolean lingering(JsonNode object) {
    return object.path("metadata").hasNonNull("deletionTimestamp")
        && object.path("metadata").path("finalizers").isEmpty();
  }

  /** The mock's PUT (resourceVersion precondition, server metadata kept, generation and resourceVersion) minus the removal. */
  private MockResponse updateLingering(String path, JsonNode current, ObjectNode next) {
    final String precondition = next.path("metadata").path("resourceVersion").asText("");
    final String live = current.path("metadata").path("resourceVersion").asText();
    if (!precondition.isEmpty() && !precondition.equals(live)) {
      return RigDispatcher.status(409, "Conflict", "Operation cannot be fulfilled on " + path + ": the object has been"
          + " modified; please apply your changes to the latest version and try again");
    }
    final ObjectNode meta = (ObjectNode) next.get("metadata");
    for (String kept : List.of("deletionTimestamp", "deletionGracePeriodSeconds")) {
      meta.set(kept, current.path("metadata").get(kept));
    }
    preserveMetadata(current, next);
    touchGeneration(current, next);
    touchResourceVersion(current, next);
    final AttributeSet key = getKey(path);
    processEvent(path, key, findResource(key).getKey(), null, next.toString());
    return RigDispatcher.json(200, next.toString());
  }

  /** The stored object at a path, or null. */
  JsonNode get(String path) {
    final Map.Entry<AttributeSet, String> entry = findResource(getKey(path));
    return entry == null ? null : parse(entry.getValue());
  }

  /** Every stored object, with its path. */
  List<Stored> objects() {
    final List<Stored> result = new ArrayList<>();
    synchronized (getMap()) {
      for (Map.Entry<AttributeSet, String> e : getMap().entrySet()) {
        result.add(new Stored(pathOf(e.getKey()), parse(e.getValue())));
      }
    }
    return result;
  }

  /**
   * Stores a new version of an existing object as it is (metadata included), with a new resourceVersion; watchers get
   * MODIFIED. Unlike the mock's PUT, a {@code deletionTimestamp} without finalizers does not delete it.
   *
   * @return the stored object, or null when there is none at the path
   */
  JsonNode replace(String path, ObjectNode object) {
    writeLock.lock();
    try {
      final AttributeSet key = getKey(path);
      final Map.Entry<AttributeSet, String> entry = findResource(key);
      if (entry == null) {
        return null;
      }
      ((ObjectNode) object.get("metadata")).put("resourceVersion", String.valueOf(requestResourceVersion()));
      processEvent(path, key, entry.getKey(), null, object.toString());
      return object;
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- Job selector defaulting

  private static boolean isJobCollection(String path) {
    return path.matches("^/apis/batch/v1/namespaces/[^/]+/jobs$");
  }

  /**
   * Creates a Job as the API server does when {@code spec.manualSelector} is not true: the template gets the labels
   * {@code batch.kubernetes.io/controller-uid} and {@code controller-uid} (the Job's uid), {@code
   * batch.kubernetes.io/job-name} and {@code job-name}, unless set, and {@code spec.selector} is defaulted to
   * {@code matchLabels: {batch.kubernetes.io/controller-uid: <uid>}}
   * (https://kubernetes.io/docs/concepts/workloads/controllers/job/#specifying-your-own-pod-selector). The selector
   * needs the uid, which the mock assigns inside its create: so the rig stores a Job itself, the way the mock's
   * create does (uid, creationTimestamp, resourceVersion, generation 1, no status).
   */
  private MockResponse createJob(String collection, ObjectNode job) {
    final ObjectNode meta = (ObjectNode) job.get("metadata");
    if (!meta.hasNonNull("name") && meta.hasNonNull("generateName")) {
      meta.put("name", meta.get("generateName").asText() + Names.random(5));
    }
    final String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      return RigDispatcher.status(422, "Invalid", "Job.batch \"\" is invalid: metadata.name: Required value: name or"
          + " generateName is required");
    }
    final String path = collection + "/" + name;
    if (get(path) != null) {
      return RigDispatcher.status(409, "AlreadyExists", "jobs.batch \"" + name + "\" already exists");
    }
    final String uid = UUID.randomUUID().toString();
    meta.put("namespace", collection.split("/")[5]);
    meta.put("uid", uid);
    meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("generation", 1);
    meta.put("resourceVersion", String.valueOf(requestResourceVersion()));
    job.remove("status");
    if (!job.path("spec").path("manualSelector").asBoolean(false)) {
      final ObjectNode spec = job.withObjectProperty("spec");
      final ObjectNode labels = spec.withObjectProperty("template").withObjectProperty("metadata").withObjectProperty("labels");
      for (String label : List.of("batch.kubernetes.io/controller-uid", "controller-uid")) {
        if (!labels.has(label)) {
          labels.put(label, uid);
        }
      }
      for (String label : List.of("batch.kubernetes.io/job-name", "job-name")) {
        if (!labels.has(label)) {
          labels.put(label, name);
        }
      }
      final ObjectNode matchLabels = spec.withObjectProperty("selector").withObjectProperty("matchLabels");
      if (!matchLabels.has("batch.kubernetes.io/controller-uid")) {
        matchLabels.put("batch.kubernetes.io/controller-uid", uid);
      }
    }
    processEvent(collection, getKey(collection).add(new Attribute("name", name)), null, null, job.toString());
    return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
        .setBody(job.toString());
  }

  // ---------------------------------------------------------------- paths

  /** The API path of a stored object, from the mock's key (plural, api group, version, namespace, name). */
  private static String pathOf(AttributeSet key) {
    final String group = value(key, "api");
    final String namespace = value(key, "namespace");
    return (group == null ? "/api/" + value(key, "version") : "/apis/" + group + "/" + value(key, "version"))
        + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + value(key, "plural") + "/"
        + value(key, "name");
  }

  private static String value(AttributeSet key, String name) {
    final Attribute a = key.getAttribute(name);
    return a == null || a.getValues().isEmpty() ? null : a.getValues().get(0).toString();
  }

  static String withoutQuery(String path) {
    final int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static JsonNode parse(String json) {
    try {
      final JsonNode node = JSON.readTree(json == null || json.isEmpty() ? "{}" : json);
      return node == null ? JsonNodeFactory.instance.objectNode() : node;
    } catch (Exception e) {
      return JsonNodeFactory.instance.objectNode();
    }
  }
}
