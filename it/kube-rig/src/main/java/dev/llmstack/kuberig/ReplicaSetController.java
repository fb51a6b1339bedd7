package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.ClusterState.labelsOrEmpty;
import static dev.llmstack.kuberig.ClusterState.nonZero;
import static dev.llmstack.kuberig.ClusterState.replicas;
import static dev.llmstack.kuberig.ClusterState.templateLabels;

/**
 * The ReplicaSet controller (https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/): keeps
 * {@code spec.replicas} active pods {@code <rs>-<rand5>} (labels and annotations of its template, controller
 * reference to it), whether a Deployment owns it or a user applied it. Surplus pods go in the controller's order:
 * unscheduled, then pending, then not ready, newest first. Status: {@code replicas} (active pods: neither finished
 * nor being deleted), {@code fullyLabeledReplicas}, {@code readyReplicas}, {@code availableReplicas} (= ready:
 * {@code minReadySeconds} is not modelled), {@code observedGeneration}.
 * <p>
 * Not modelled: adopting or releasing pods by the selector (ownership is by controller reference only), slow-start
 * batches, the ReplicaFailure condition.
 */
final class ReplicaSetController implements Controller<ReplicaSet> {

  private static final Comparator<Pod> DELETE_FIRST = Comparator
      .comparing((Pod p) -> p.getSpec().getNodeName() != null)
      .thenComparing(p -> "Running".equals(p.getStatus() == null ? null : p.getStatus().getPhase()))
      .thenComparing(KubeletSimulator::isReady)
      .thenComparing((Pod p) -> Optional.ofNullable(p.getMetadata().getCreationTimestamp()).orElse(""),
          Comparator.reverseOrder());

  private final ClusterWriter writer;

  ReplicaSetController(ClusterWriter writer) {
    this.writer = writer;
  }

  /** Creates or deletes pods towards {@code spec.replicas}. */
  @Override
  public boolean sync(ReplicaSet rs, ClusterState cluster) {
    final List<Pod> active = cluster.podsOf(rs).stream().filter(ClusterState::active).collect(Collectors.toList());
    final int desired = replicas(rs.getSpec().getReplicas());
    boolean changed = false;
    for (int i = active.size(); i < desired; i++) {
      changed |= writer.createPod(rs, rs.getSpec().getTemplate(), rs.getMetadata().getName() + "-" + Names.random(5),
          templateLabels(rs.getSpec().getTemplate()), null);
    }
    if (active.size() > desired) {
      active.sort(DELETE_FIRST);
      active.subList(0, active.size() - desired).forEach(writer::delete);
      changed = true;
    }
    return changed;
  }

  @Override
  public boolean status(ReplicaSet rs, ClusterState cluster) {
    final List<Pod> active = cluster.podsOf(rs).stream().filter(ClusterState::active).collect(Collectors.toList());
    final Map<String, String> templateLabels = templateLabels(rs.getSpec().getTemplate());
    final int ready = (int) active.stream().filter(KubeletSimulator::isReady).count();
    final ReplicaSetStatus old = Optional.ofNullable(rs.getStatus()).orElseGet(ReplicaSetStatus::new);
    final ReplicaSetStatus s = new ReplicaSetStatus();
    s.setReplicas(active.size());
    s.setFullyLabeledReplicas(nonZero((int) active.stream()
        .filter(p -> labelsOrEmpty(p.getMetadata().getLabels()).entrySet().containsAll(templateLabels.entrySet()))
        .count()));
    s.setReadyReplicas(nonZero(ready));
    s.setAvailableReplicas(nonZero(ready));
    s.setObservedGeneration(rs.getMetadata().getGeneration());
    return writer.writeStatus(rs, old, s, null, () -> rs.setStatus(s));
  }
}
