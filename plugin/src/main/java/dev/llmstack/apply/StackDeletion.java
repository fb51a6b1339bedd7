package dev.llmstack.apply;

import dev.llmstack.error.StackFailureException;
import dev.llmstack.kube.Kinds;
import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Deletes stack members, for undeploy and for prune, so that no data is lost: what holds data or
 * may hold others' objects is kept unless it is certainly safe, and every kept object is reported
 * with its reason.
 *
 * <ul>
 *   <li>PersistentVolumeClaims are kept unless {@code deleteVolumes};
 *   <li>an object annotated {@value #KEEP} (or Helm's {@value #HELM_KEEP}) with {@code keep} is kept;
 *   <li>a Namespace is deleted last, and only when nothing is left in it (deleting a namespace
 *       deletes all it holds: foreign objects, kept claims);
 *   <li>a CustomResourceDefinition likewise, only when no object of its kind is left anywhere
 *       (deleting it deletes every such object of the cluster).
 * </ul>
 */
final class StackDeletion {

  static final String KEEP = "llmstack.dev/resource-policy";
  static final String HELM_KEEP = "helm.sh/resource-policy";

  /** A member left in place, and why. */
  record Kept(HasMetadata object, String reason) {
    String describe() {
      return object.getKind() + " " + object.getMetadata().getName() + " (" + reason + ")";
    }
  }

  record Outcome(List<String> deleted, List<Kept> kept) {}

  private final KubernetesClient client;
  private final ResourceTypes types;
  private final Predicate<GenericKubernetesResource> record;
  private final BuildLog log;

  /** @param record the stack's own bookkeeping (its ApplySet parent), never counted as a namespace's content */
  StackDeletion(KubernetesClient client, ResourceTypes types, Predicate<GenericKubernetesResource> record, BuildLog log) {
    this.client = client;
    this.types = types;
    this.record = record;
    this.log = log;
  }

  /**
   * Deletes the members in reverse apply order and waits until they are gone.
   *
   * @param why the reason a PersistentVolumeClaim is kept, naming how to delete it
   */
  Outcome delete(List<HasMetadata> members, boolean deleteVolumes, Function<HasMetadata, String> why, long deadlineNanos) {
    List<Kept> kept = new ArrayList<>();
    List<HasMetadata> now = new ArrayList<>();
    List<HasMetadata> last = new ArrayList<>();
    for (HasMetadata m : members) {
      if (keepAnnotated(m)) {
        kept.add(new Kept(m, "annotated " + keepAnnotation(m) + ": keep"));
      } else if (m instanceof PersistentVolumeClaim && !deleteVolumes) {
        kept.add(new Kept(m, why.apply(m)));
      } else if (m instanceof Namespace || m instanceof CustomResourceDefinition) {
        last.add(m);
      } else {
        now.add(m);
      }
    }
    List<String> deleted = new ArrayList<>(deleteAndWait(now, deadlineNanos));
    for (HasMetadata m : last) {
      List<String> left = m instanceof Namespace ns
          ? new NamespaceContents(client).remaining(ns.getMetadata().getName(), o -> record.test(o) && kept.isEmpty(), 5)
          : objectsOf((CustomResourceDefinition) m, 5);
      if (left.isEmpty()) {
        deleted.addAll(deleteAndWait(List.of(m), deadlineNanos));
      } else {
        kept.add(new Kept(m, (m instanceof Namespace ? "it still holds " : "objects of its kind remain: ") + String.join(", ", left)
            + (left.size() == 5 ? " and maybe more" : "")
            + (m instanceof Namespace
                ? "; deleting it would delete them"
                : "; deleting the definition would delete them")));
      }
    }
    kept.forEach(k -> log.info("Kept " + k.describe() + "."));
    return new Outcome(deleted, kept);
  }

  private List<String> deleteAndWait(List<HasMetadata> objects, long deadlineNanos) {
    List<HasMetadata> ordered = new ArrayList<>(objects);
    ordered.sort(Kinds.applyOrder().reversed());
    List<String> deleted = new ArrayList<>();
    for (HasMetadata m : ordered) {
      types.resource(m).delete();
      deleted.add(m.getKind() + " " + m.getMetadata().getName());
    }
    for (HasMetadata m : ordered) {
      awaitGone(m, deadlineNanos);
    }
    return deleted;
  }

  static boolean keepAnnotated(HasMetadata o) {
    return keepAnnotation(o) != null;
  }

  private static String keepAnnotation(HasMetadata o) {
    Map<String, String> annotations = o.getMetadata().getAnnotations();
    if (annotations == null) {
      return null;
    }
    for (String key : List.of(KEEP, HELM_KEEP)) {
      if ("keep".equals(annotations.get(key))) {
        return key;
      }
    }
    return null;
  }

  /** Objects of the definition's kind anywhere in the cluster, at most {@code limit}. */
  private List<String> objectsOf(CustomResourceDefinition crd, int limit) {
    var spec = crd.getSpec();
    if (spec == null || spec.getNames() == null || spec.getVersions() == null) {
      return List.of();
    }
    String version = spec.getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage())).map(CustomResourceDefinitionVersion::getName)
        .findFirst().orElse(spec.getVersions().isEmpty() ? null : spec.getVersions().get(0).getName());
    if (version == null) {
      return List.of();
    }
    ResourceDefinitionContext type = new ResourceDefinitionContext.Builder()
        .withGroup(spec.getGroup()).withVersion(version).withKind(spec.getNames().getKind()).withPlural(spec.getNames().getPlural())
        .withNamespaced(!"Cluster".equals(spec.getScope())).build();
    var items = type.isNamespaceScoped()
        ? client.genericKubernetesResources(type).inAnyNamespace().list().getItems()
        : client.genericKubernetesResources(type).list().getItems();
    return items.stream().limit(limit)
        .map(o -> spec.getNames().getKind() + " " + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
            + o.getMetadata().getName())
        .toList();
  }

  private void awaitGone(HasMetadata m, long deadlineNanos) {
    long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    try {
      types.resource(m).waitUntilCondition(Objects::isNull, remaining, TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      String ns = m.getMetadata().getNamespace();
      throw new StackFailureException(
          m.getKind() + " " + m.getMetadata().getName() + " was not gone within the timeout (a finalizer may hold it).",
          "Look at its finalizers: kubectl get " + m.getKind().toLowerCase() + (ns == null ? "" : " -n " + ns)
              + " " + m.getMetadata().getName() + " -o yaml.");
    }
  }

}
