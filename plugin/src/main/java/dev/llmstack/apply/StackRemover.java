package dev.llmstack.apply;

import dev.llmstack.kube.Kinds;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deletes what deploy applied: the ApplySet's members that carry the stack's labels, in reverse
 * apply order, waiting until each is gone ({@link StackDeletion}: claims, objects annotated keep,
 * and namespaces or definitions that still hold others' objects are kept and reported). The
 * claims the stack's StatefulSets made from their {@code volumeClaimTemplates} count as the stack's
 * volumes. Running it twice is fine: the second run finds nothing (or only what was kept).
 */
public final class StackRemover {

  /** Parent annotation: the StatefulSets' claims a keeping undeploy left, for a later one with deleteVolumes. */
  static final String KEPT_CLAIMS = "llmstack.dev/kept-volume-claims";

  private final KubernetesClient client;
  private final String stack;
  private final String namespace;
  private final BuildLog log;

  public StackRemover(KubernetesClient client, String stack, String namespace, BuildLog log) {
    this.client = client;
    this.stack = stack;
    this.namespace = namespace;
    this.log = log;
  }

  /** @return the objects deleted */
  public List<String> remove(boolean deleteVolumes, Duration timeout, String tooling) {
    ApplySet applySet = new ApplySet(stack, namespace);
    Secret parent = client.secrets().inNamespace(namespace).withName(applySet.name()).get();
    if (parent == null || !applySet.id().equals(labels(parent).get(ApplySet.ID))) {
      log.info("Nothing to undeploy: no stack '" + stack + "' recorded in namespace " + namespace + ".");
      return List.of();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> namespaces = new TreeSet<>(ApplySet.additionalNamespaces(parent));
    namespaces.add(namespace);
    ResourceTypes types = new ResourceTypes(client, List.of());
    List<HasMetadata> members = StackMembers.list(client, types, applySet, stack, ApplySet.groupKinds(parent), namespaces, log);
    Map<String, PersistentVolumeClaim> claims = statefulSetClaims(members, parent);

    List<HasMetadata> all = new ArrayList<>(members);
    all.addAll(claims.values());
    StackDeletion.Outcome removed = new StackDeletion(client, types, o -> StackApplier.isRecord(o, applySet), log)
        .delete(all, deleteVolumes, claim -> labels(claim).containsKey(ApplySet.PART_OF)
            ? "its data; -Dllmstack.deleteVolumes deletes it"
            : "a volume a StatefulSet of the stack made from its volumeClaimTemplates; -Dllmstack.deleteVolumes deletes it", deadline);
    List<String> deleted = removed.deleted();
    List<StackDeletion.Kept> kept = removed.kept();

    List<HasMetadata> keptMembers = kept.stream().map(StackDeletion.Kept::object)
        .filter(o -> labels(o).containsKey(ApplySet.PART_OF)).toList();
    List<String> keptClaims = kept.stream().map(StackDeletion.Kept::object)
        .filter(o -> o instanceof PersistentVolumeClaim && !labels(o).containsKey(ApplySet.PART_OF))
        .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).toList();
    if (keptMembers.stream().noneMatch(o -> o instanceof PersistentVolumeClaim) && keptClaims.isEmpty()) {
      // nothing a later undeploy could still delete: the record goes (objects kept by annotation stay as they are)
      client.resource(parent).delete();
    } else {
      // Keep the record of the volumes left, so a later undeploy with deleteVolumes finds them.
      Set<String> keptKinds = new TreeSet<>();
      keptMembers.forEach(k -> keptKinds.add(Kinds.groupKind(k)));
      Map<String, String> annotations = keptClaims.isEmpty() ? Map.of() : Map.of(KEPT_CLAIMS, String.join(",", keptClaims));
      client.resource(applySet.parent(keptKinds, namespaces, tooling, StackDecorator.stackLabels(stack), annotations))
          .fieldManager(StackApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    log.info("Undeployed stack '" + stack + "': deleted " + deleted.size() + (deleted.size() == 1 ? " object" : " objects")
        + (kept.isEmpty() ? "." : ", kept " + kept.size() + ": " + String.join(", ", kept.stream().map(StackDeletion.Kept::describe).toList()) + "."));
    return deleted;
  }

  /**
   * The claims of the stack's StatefulSets (by {@link VolumeClaims}) and those an earlier undeploy
   * kept after their StatefulSet was gone, by namespace/name.
   */
  private Map<String, PersistentVolumeClaim> statefulSetClaims(List<HasMetadata> members, Secret parent) {
    Map<String, PersistentVolumeClaim> claims = new LinkedHashMap<>();
    for (HasMetadata m : members) {
      if (m instanceof StatefulSet sts) {
        VolumeClaims.of(client, sts).forEach(c -> claims.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c));
      }
    }
    String recorded = parent.getMetadata().getAnnotations() == null ? null : parent.getMetadata().getAnnotations().get(KEPT_CLAIMS);
    if (recorded != null) {
      for (String key : Arrays.stream(recorded.split(",")).map(String::trim).filter(k -> k.contains("/")).toList()) {
        String[] nsName = key.split("/", 2);
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(nsName[0]).withName(nsName[1]).get();
        // a claim that has become another ApplySet's since is not this stack's any more
        if (claim != null && !labels(claim).containsKey(ApplySet.PART_OF)) {
          claims.putIfAbsent(key, claim);
        }
      }
    }
    members.removeIf(m -> m instanceof PersistentVolumeClaim && claims.containsKey(m.getMetadata().getNamespace() + "/" + m.getMetadata().getName()));
    return claims;
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
  }
}
