package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static dev.llmstack.kuberig.ClusterState.label;
import static dev.llmstack.kuberig.ClusterState.labelsOrEmpty;
import static dev.llmstack.kuberig.ClusterState.nonZero;
import static dev.llmstack.kuberig.ClusterState.replicas;
import static dev.llmstack.kuberig.ClusterState.runningAndReady;
import static dev.llmstack.kuberig.ClusterState.templateLabels;
import static dev.llmstack.kuberig.ClusterState.terminating;

/**
 * The StatefulSet controller (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/).
 * <ul>
 * <li>Revisions are ControllerRevisions ({@link ControllerRevisions}); pods {@code <sts>-<i>} carry
 * {@code controller-revision-hash: <revision name>}, {@code statefulset.kubernetes.io/pod-name} and
 * {@code apps.kubernetes.io/pod-index}; {@code status.currentRevision}/{@code updateRevision} name revisions.</li>
 * <li>Claims from {@code volumeClaimTemplates}, {@code <template>-<sts>-<i>}, created with the pod: the template's
 * labels + the selector's matchLabels, no ownerReference (the default {@code persistentVolumeClaimRetentionPolicy},
 * Retain): they outlive the StatefulSet and its pods.</li>
 * <li>{@code podManagementPolicy: OrderedReady} (default): pods are created in order, each once the ones before it
 * are Running and Ready; while any pod is not Running and Ready nothing else happens, the rolling update included.
 * So a template fixed after a crash-looping pod leaves the rollout stuck until someone deletes that pod (the docs'
 * "Forced rollback"); it is then recreated at the update revision. {@code Parallel}: missing pods are created at
 * once and the rolling update replaces outdated pods even when they are unhealthy.</li>
 * <li>RollingUpdate (default, partition 0): the highest-ordinal outdated pod is deleted, one at a time, each once
 * the ones above it are updated and healthy; a recreated pod is at the update revision. OnDelete: pods are replaced
 * only when deleted. A pod that Failed or Succeeded is deleted and recreated.</li>
 * <li>Status: replicas (pods), ready and available (Running and Ready), current/updated replicas by revision; once
 * every pod is updated and ready, {@code currentRevision} becomes the update revision.</li>
 * </ul>
 * Not modelled: partitions, {@code minReadySeconds}, {@code maxUnavailable}, {@code ordinals.start}, the retention
 * policy Delete, scale-down ordering beyond "highest first, one at a time".
 */
final class StatefulSetController implements Controller<StatefulSet> {

  static final String REVISION_LABEL = "controller-revision-hash";

  private final ClusterWriter writer;
  private final ControllerRevisions revisions;

  StatefulSetController(ClusterWriter writer, ControllerRevisions revisions) {
    this.writer = writer;
    this.revisions = revisions;
  }

  @Override
  public boolean sync(StatefulSet s, ClusterState cluster) {
    final List<ControllerRevision> owned = ClusterState.ownedBy(cluster.revisions, s);
    if (revisions.ensure(s, s.getSpec().getTemplate(), owned)) {
      return true;
    }
    final String update = ControllerRevisions.nameFor(s, s.getSpec().getTemplate());
    final String name = s.getMetadata().getName();
    final boolean ordered = !"Parallel".equals(s.getSpec().getPodManagementPolicy());
    final int desired = replicas(s.getSpec().getReplicas());
    final TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
    for (Pod p : cluster.podsOf(s)) {
      final Integer ordinal = ordinal(name, p);
      if (ordinal == null) {
        writer.delete(p);
        return true;
      }
      byOrdinal.put(ordinal, p);
    }
    boolean changed = false;
    for (int i = 0; i < desired; i++) {
      Pod p = byOrdinal.get(i);
      if (p != null && !terminating(p) && finished(p)) {
        writer.delete(p);
        return true;
      }
      if (p == null) {
        changed |= createClaims(s, i, cluster);
        changed |= createPod(s, i, update);
        if (ordered) {
          return changed;
        }
        continue;
      }
      if (ordered && (terminating(p) || !runningAndReady(p))) {
        return changed;
      }
    }
    // condemned: ordinals beyond replicas, highest first (one at a time when ordered)
    for (Integer i : byOrdinal.descendingKeySet()) {
      if (i >= desired && !terminating(byOrdinal.get(i))) {
        writer.delete(byOrdinal.get(i));
        if (ordered) {
          return true;
        }
        changed = true;
      }
    }
    if (changed) {
      return true;
    }
    if (!"OnDelete".equals(Optional.ofNullable(s.getSpec().getUpdateStrategy()).map(u -> u.getType()).orElse(null))) {
      for (int i = desired - 1; i >= 0; i--) {
        final Pod p = byOrdinal.get(i);
        if (p == null) {
          return false;
        }
        if (!update.equals(label(p, REVISION_LABEL)) && !terminating(p)) {
          writer.delete(p);
          return true;
        }
        if (terminating(p) || !runningAndReady(p)) {
          return false;
        }
      }
    }
    final Set<String> live = new HashSet<>(List.of(update, currentRevision(s, owned, update)));
    byOrdinal.values().forEach(p -> live.add(label(p, REVISION_LABEL)));
    return revisions.truncate(owned, live, s.getSpec().getRevisionHistoryLimit());
  }

  /** The ordinal in {@code <sts>-<i>}, null for a pod of another name. */
  private static Integer ordinal(String name, Pod p) {
    final String n = p.getMetadata().getName();
    if (!n.startsWith(name + "-")) {
      return null;
    }
    try {
      return Integer.parseInt(n.substring(name.length() + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean finished(Pod p) {
    final String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** The revision the status names as current, if it still exists; else the update revision. */
  private static String currentRevision(StatefulSet s, List<ControllerRevision> owned, String update) {
    final String current = s.getStatus() == null ? null : s.getStatus().getCurrentRevision();
    return current != null && owned.stream().anyMatch(r -> current.equals(r.getMetadata().getName())) ? current
        : update;
  }

  private boolean createClaims(StatefulSet s, int ordinal, ClusterState cluster) {
    boolean changed = false;
    final String ns = s.getMetadata().getNamespace();
    for (PersistentVolumeClaim template : claimTemplates(s)) {
      final String claim = claimName(s, template, ordinal);
      if (cluster.claims.stream().anyMatch(c -> ns.equals(c.getMetadata().getNamespace())
          && claim.equals(c.getMetadata().getName()))) {
        continue;
      }
      final Map<String, String> labels = new LinkedHashMap<>(labelsOrEmpty(template.getMetadata().getLabels()));
      labels.putAll(labelsOrEmpty(s.getSpec().getSelector().getMatchLabels()));
      changed |= writer.create(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim).withNamespace(ns)
          .withLabels(labels).withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
          .withSpec(Serialization.unmarshal(Serialization.asJson(template.getSpec()), PersistentVolumeClaimSpec.class))
          .build());
    }
    return changed;
  }

  private boolean createPod(StatefulSet s, int ordinal, String revision) {
    final String name = s.getMetadata().getName();
    final Map<String, String> labels = new LinkedHashMap<>(templateLabels(s.getSpec().getTemplate()));
    labels.put(REVISION_LABEL, revision);
    labels.put("statefulset.kubernetes.io/pod-name", name + "-" + ordinal);
    labels.put("apps.kubernetes.io/pod-index", String.valueOf(ordinal));
    final List<Volume> claims = new ArrayList<>();
    for (PersistentVolumeClaim template : claimTemplates(s)) {
      claims.add(new VolumeBuilder().withName(template.getMetadata().getName()).withNewPersistentVolumeClaim()
          .withClaimName(claimName(s, template, ordinal)).endPersistentVolumeClaim().build());
    }
    return writer.createPod(s, s.getSpec().getTemplate(), name + "-" + ordinal, labels, claims);
  }

  private static List<PersistentVolumeClaim> claimTemplates(StatefulSet s) {
    return Optional.ofNullable(s.getSpec().getVolumeClaimTemplates()).orElse(List.of());
  }

  private static String claimName(StatefulSet s, PersistentVolumeClaim template, int ordinal) {
    return template.getMetadata().getName() + "-" + s.getMetadata().getName() + "-" + ordinal;
  }

  @Override
  public boolean status(StatefulSet s, ClusterState cluster) {
    final String update = ControllerRevisions.nameFor(s, s.getSpec().getTemplate());
    final List<ControllerRevision> owned = ClusterState.ownedBy(cluster.revisions, s);
    String current = currentRevision(s, owned, update);
    final List<Pod> pods = cluster.podsOf(s);
    final int replicas = (int) pods.stream().filter(p -> p.getStatus() != null && p.getStatus().getPhase() != null)
        .count();
    final int ready = (int) pods.stream().filter(ClusterState::runningAndReady).count();
    final String currentRev = current;
    int currentReplicas = (int) pods.stream().filter(p -> !terminating(p) && currentRev.equals(label(p, REVISION_LABEL)))
        .count();
    final int updated = (int) pods.stream().filter(p -> !terminating(p) && update.equals(label(p, REVISION_LABEL)))
        .count();
    if (updated == replicas && ready == replicas && !"OnDelete".equals(Optional.ofNullable(
        s.getSpec().getUpdateStrategy()).map(u -> u.getType()).orElse(null))) {
      currentReplicas = updated;
      current = update;
    }
    final StatefulSetStatus old = Optional.ofNullable(s.getStatus()).orElseGet(StatefulSetStatus::new);
    final StatefulSetStatus st = new StatefulSetStatus();
    st.setObservedGeneration(s.getMetadata().getGeneration());
    st.setReplicas(replicas);
    st.setReadyReplicas(nonZero(ready));
    st.setAvailableReplicas(ready);
    st.setCurrentReplicas(nonZero(currentReplicas));
    st.setUpdatedReplicas(nonZero(updated));
    st.setCurrentRevision(current);
    st.setUpdateRevision(update);
    st.setCollisionCount(0);
    final int desired = replicas(s.getSpec().getReplicas());
    final boolean fullyReady = ready == desired && replicas == desired && updated == desired && update.equals(current);
    return writer.writeStatus(s, old, st, fullyReady, () -> s.setStatus(st));
  }
}
