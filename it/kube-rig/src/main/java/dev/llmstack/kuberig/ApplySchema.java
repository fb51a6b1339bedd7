package dev.llmstack.kuberig;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The little of the built-in types' OpenAPI schemas that server-side apply needs and the rig knows: which lists are
 * associative ({@code x-kubernetes-list-type: map}) and by which keys, which are sets, and which objects are atomic
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy). Taken from the
 * {@code +listType}/{@code +listMapKey}/{@code +structType}/{@code +mapType} markers of k8s.io/api: containers,
 * init and ephemeral containers, volumes, imagePullSecrets by {@code name}; a container's {@code env} by
 * {@code name}, {@code ports} by {@code containerPort}+{@code protocol}, {@code volumeMounts} by {@code mountPath};
 * a Service's {@code spec.ports} by {@code port}+{@code protocol} ({@code protocol} defaults to TCP in a key, as
 * the schema's default says); {@code conditions} by {@code type}; {@code metadata.ownerReferences} by {@code uid};
 * {@code metadata.finalizers} a set. Every other list is atomic (tolerations and args included, as in the real
 * schemas), and so is every list of a custom resource: the rig reads no {@code x-kubernetes-list-type} from CRD
 * schemas. Label selectors, {@code nodeSelector} and the {@code *KeyRef}/{@code fieldRef} references are atomic.
 */
final class ApplySchema {

  enum ListKind { ATOMIC, MAP, SET }

  record ListType(ListKind kind, List<String> keys) {
  }

  static final ListType ATOMIC = new ListType(ListKind.ATOMIC, List.of());
  private static final ListType BY_NAME = new ListType(ListKind.MAP, List.of("name"));
  private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers", "ephemeralContainers");
  private static final Map<String, ListType> POD_SPEC_LISTS = Map.of(
      "containers", BY_NAME, "initContainers", BY_NAME, "ephemeralContainers", BY_NAME, "volumes", BY_NAME,
      "imagePullSecrets", BY_NAME,
      "hostAliases", new ListType(ListKind.MAP, List.of("ip")),
      "topologySpreadConstraints", new ListType(ListKind.MAP, List.of("topologyKey", "whenUnsatisfiable")));
  private static final Map<String, ListType> CONTAINER_FIELD_LISTS = Map.of(
      "env", BY_NAME,
      "ports", new ListType(ListKind.MAP, List.of("containerPort", "protocol")),
      "volumeMounts", new ListType(ListKind.MAP, List.of("mountPath")),
      "volumeDevices", new ListType(ListKind.MAP, List.of("devicePath")));
  private static final Set<String> ATOMIC_OBJECTS = Set.of("selector", "podSelector", "namespaceSelector",
      "labelSelector", "nodeSelector", "secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef");
  /** Keys with a schema default, used when an item leaves them out. */
  static final Map<String, String> KEY_DEFAULTS = Map.of("protocol", "TCP");

  private final String kind;
  private final boolean builtIn;

  ApplySchema(String kind, boolean builtIn) {
    this.kind = kind;
    this.builtIn = builtIn;
  }

  /** The list at that field (its field names from the object's root). */
  ListType list(List<String> names) {
    if (names.isEmpty()) {
      return ATOMIC;
    }
    final String last = names.get(names.size() - 1);
    if (names.equals(List.of("metadata", "ownerReferences"))) {
      return new ListType(ListKind.MAP, List.of("uid"));
    }
    if (names.equals(List.of("metadata", "finalizers"))) {
      return new ListType(ListKind.SET, List.of());
    }
    if (!builtIn) {
      return ATOMIC;
    }
    if (last.equals("conditions")) {
      return new ListType(ListKind.MAP, List.of("type"));
    }
    if ("Service".equals(kind) && names.equals(List.of("spec", "ports"))) {
      return new ListType(ListKind.MAP, List.of("port", "protocol"));
    }
    if (names.size() >= 2 && CONTAINER_LISTS.contains(names.get(names.size() - 2))
        && CONTAINER_FIELD_LISTS.containsKey(last)) {
      return CONTAINER_FIELD_LISTS.get(last);
    }
    return POD_SPEC_LISTS.getOrDefault(last, ATOMIC);
  }

  /** An object replaced as a whole (the items of {@code imagePullSecrets} are such references too). */
  boolean atomicObject(List<String> names) {
    if (!builtIn || names.isEmpty()) {
      return false;
    }
    final String last = names.get(names.size() - 1);
    return ATOMIC_OBJECTS.contains(last) || last.equals("imagePullSecrets");
  }
}
