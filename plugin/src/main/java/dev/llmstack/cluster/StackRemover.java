package dev.llmstack.cluster;

import dev.llmstack.kube.Kinds;

import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import dev.llmstack.error.StackFailureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what deploy applied: the ApplySet's members that carry the stack's labels, in reverse
 * apply order, waiting until each is gone. PersistentVolumeClaims stay unless asked for. Running it
 * twice is fine: the second run finds nothing.
 */
public final class StackRemover {

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
    if (parent == null) {
      log.info("Nothing to undeploy: no stack '" + stack + "' recorded in namespace " + namespace + ".");
      return List.of();
    }
    Set<String> namespaces = new TreeSet<>(ApplySet.additionalNamespaces(parent));
    namespaces.add(namespace);
    List<HasMetadata> members = new ArrayList<>(StackMembers.list(client, applySet, stack, ApplySet.groupKinds(parent), namespaces, log));
    List<HasMetadata> kept = new ArrayList<>();
    if (!deleteVolumes) {
      members.removeIf(m -> {
        if (m instanceof PersistentVolumeClaim) {
          kept.add(m);
          log.info("Kept PersistentVolumeClaim " + m.getMetadata().getName() + " (its data); -Dllmstack.deleteVolumes deletes it.");
          return true;
        }
        return false;
      });
    }
    members.sort(Kinds.applyOrder().reversed());
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> deleted = new ArrayList<>();
    for (HasMetadata m : members) {
      client.resource(m).delete();
      deleted.add(m.getKind() + " " + m.getMetadata().getName());
    }
    for (HasMetadata m : members) {
      awaitGone(m, deadline);
    }
    if (kept.isEmpty()) {
      client.resource(parent).delete();
    } else {
      // Keep the record of what is left, so a later undeploy with deleteVolumes finds it.
      Set<String> keptKinds = new TreeSet<>();
      kept.forEach(k -> keptKinds.add(Kinds.groupKind(k)));
      client.resource(applySet.parent(keptKinds, namespaces, tooling, StackDecorator.stackLabels(stack)))
          .fieldManager(StackApplier.FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    log.info("Undeployed stack '" + stack + "': deleted " + deleted.size() + " objects" + (kept.isEmpty() ? "." : ", kept " + kept.size() + " volume claims."));
    return deleted;
  }

  private void awaitGone(HasMetadata m, long deadline) {
    long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    try {
      client.resource(m).waitUntilCondition(Objects::isNull, remaining, TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new StackFailureException(
          m.getKind() + " " + m.getMetadata().getName() + " was not gone within the timeout (a finalizer may hold it).",
          "Look at its finalizers: kubectl get " + m.getKind().toLowerCase() + " -n " + m.getMetadata().getNamespace()
              + " " + m.getMetadata().getName() + " -o yaml.");
    }
  }

}
