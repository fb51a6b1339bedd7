package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.llmstack.kuberig.ClusterState.label;
import static dev.llmstack.kuberig.ClusterState.nonZero;
import static dev.llmstack.kuberig.ClusterState.templateLabels;

/**
 * The DaemonSet controller on the rig's one node (https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/,
 * https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/): one pod {@code <ds>-<rand5>} labelled
 * {@code controller-revision-hash: <hash10>} and {@code pod-template-generation}; a ControllerRevision
 * {@code <ds>-<hash10>} per template ({@link ControllerRevisions}). A template change replaces the pod: RollingUpdate
 * with maxUnavailable 1 (the default) deletes the old pod, then the new one is created. Not modelled: maxSurge,
 * OnDelete, node selection (every pod is scheduled on the one node).
 */
final class DaemonSetController implements Controller<DaemonSet> {

  static final String GENERATION_LABEL = "pod-template-generation";

  private final ClusterWriter writer;
  private final ControllerRevisions revisions;

  DaemonSetController(ClusterWriter writer, ControllerRevisions revisions) {
    this.writer = writer;
    this.revisions = revisions;
  }

  @Override
  public boolean sync(DaemonSet d, ClusterState cluster) {
    final List<ControllerRevision> owned = ClusterState.ownedBy(cluster.revisions, d);
    if (revisions.ensure(d, d.getSpec().getTemplate(), owned)) {
      return true;
    }
    final String hash = Names.hash(d.getSpec().getTemplate());
    final List<Pod> pods = ClusterState.live(cluster.podsOf(d));
    for (Pod p : pods) {
      if (!hash.equals(label(p, StatefulSetController.REVISION_LABEL))) {
        writer.delete(p);
        return true;
      }
    }
    if (pods.size() > 1) {
      pods.subList(1, pods.size()).forEach(writer::delete);
      return true;
    }
    if (pods.isEmpty()) {
      final Map<String, String> labels = new LinkedHashMap<>(templateLabels(d.getSpec().getTemplate()));
      labels.put(StatefulSetController.REVISION_LABEL, hash);
      labels.put(GENERATION_LABEL, String.valueOf(d.getMetadata().getGeneration()));
      return writer.createPod(d, d.getSpec().getTemplate(), d.getMetadata().getName() + "-" + Names.random(5),
          labels, null);
    }
    final Set<String> live = new HashSet<>(Set.of(d.getMetadata().getName() + "-" + hash));
    cluster.podsOf(d).forEach(p -> live.add(d.getMetadata().getName() + "-" + label(p,
        StatefulSetController.REVISION_LABEL)));
    return revisions.truncate(owned, live, d.getSpec().getRevisionHistoryLimit());
  }

  @Override
  public boolean status(DaemonSet d, ClusterState cluster) {
    final String hash = Names.hash(d.getSpec().getTemplate());
    final List<Pod> pods = ClusterState.live(cluster.podsOf(d));
    final DaemonSetStatus old = Optional.ofNullable(d.getStatus()).orElseGet(DaemonSetStatus::new);
    final int ready = (int) pods.stream().filter(KubeletSimulator::isReady).count();
    final int updated = (int) pods.stream()
        .filter(p -> hash.equals(label(p, StatefulSetController.REVISION_LABEL))).count();
    final DaemonSetStatus s = new DaemonSetStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setDesiredNumberScheduled(1);
    s.setCurrentNumberScheduled(pods.size());
    s.setNumberMisscheduled(0);
    s.setUpdatedNumberScheduled(nonZero(updated));
    s.setNumberReady(ready);
    s.setNumberAvailable(nonZero(ready));
    s.setNumberUnavailable(nonZero(Math.max(0, 1 - ready)));
    return writer.writeStatus(d, old, s, ready == 1 && updated == 1, () -> d.setStatus(s));
  }
}
