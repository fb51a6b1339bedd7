package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.llmstack.kuberig.ClusterState.count;
import static dev.llmstack.kuberig.ClusterState.nonZero;
import static dev.llmstack.kuberig.ClusterState.replicas;
import static dev.llmstack.kuberig.ClusterWriter.timestamp;

/**
 * A Deployment's status as the Deployment controller computes it from its ReplicaSets
 * (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status): {@code replicas} = pods
 * of all its ReplicaSets, {@code updatedReplicas} = the new ReplicaSet's, ready and available summed,
 * {@code unavailableReplicas} = all ReplicaSets' sizes - available; zero counts omitted.
 * <ul>
 * <li>{@code Available}: True (MinimumReplicasAvailable) once available ≥ replicas - maxUnavailable.</li>
 * <li>{@code Progressing}: NewReplicaSetCreated when the new ReplicaSet was created; ReplicaSetUpdated with a fresh
 * lastUpdateTime at every step of progress (more updated, ready or available pods, fewer old ones);
 * NewReplicaSetAvailable once complete; False ProgressDeadlineExceeded when no progress was made for
 * {@code progressDeadlineSeconds} (default 600) since lastUpdateTime. A complete Deployment is not re-judged until a
 * new rollout starts.</li>
 * </ul>
 */
final class DeploymentRolloutStatus {

  private final ClusterWriter writer;
  private final DeploymentController controller;
  private final Consumer<Instant> wakeAt;

  DeploymentRolloutStatus(ClusterWriter writer, DeploymentController controller, Consumer<Instant> wakeAt) {
    this.writer = writer;
    this.controller = controller;
    this.wakeAt = wakeAt;
  }

  /** Complete: every replica updated and available, none old, the current generation observed. */
  static boolean complete(Deployment d, DeploymentStatus s) {
    final int desired = replicas(d.getSpec().getReplicas());
    return s != null && count(s.getUpdatedReplicas()) == desired && count(s.getReplicas()) == desired
        && count(s.getAvailableReplicas()) == desired && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration();
  }

  boolean write(Deployment d, ClusterState cluster) {
    final List<ReplicaSet> all = ClusterState.live(ClusterState.ownedBy(cluster.replicaSets, d));
    final ReplicaSet newRs = DeploymentController.newReplicaSet(d, all);
    final int desired = replicas(d.getSpec().getReplicas());
    // the ReplicaSets' own counts, as the controller's calculateStatus sums them (not capped at their sizes)
    final int available = all.stream().mapToInt(rs -> rs.getStatus() == null ? 0
        : count(rs.getStatus().getAvailableReplicas())).sum();
    final DeploymentStatus old = Optional.ofNullable(d.getStatus()).orElseGet(DeploymentStatus::new);
    final DeploymentStatus s = new DeploymentStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setReplicas(nonZero(all.stream().mapToInt(rs -> statusCount(rs, true)).sum()));
    s.setUpdatedReplicas(nonZero(newRs == null ? 0 : statusCount(newRs, true)));
    s.setReadyReplicas(nonZero(all.stream().mapToInt(rs -> statusCount(rs, false)).sum()));
    s.setAvailableReplicas(nonZero(available));
    final int sizes = all.stream().mapToInt(rs -> replicas(rs.getSpec().getReplicas())).sum();
    s.setUnavailableReplicas(nonZero(Math.max(0, sizes - available)));
    s.setCollisionCount(old.getCollisionCount());
    s.setConditions(new ArrayList<>(Optional.ofNullable(old.getConditions()).orElse(List.of())));

    final Instant now = cluster.now;
    final String rsName = newRs == null ? null : newRs.getMetadata().getName();
    final Optional<String> created = controller.takeCreated(d);
    if (created.isPresent() && created.get().equals(rsName)) {
      set(s, condition("Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"" + rsName + "\"",
          now));
    }
    set(s, available >= desired - DeploymentController.maxUnavailable(d)
        ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
        : condition("Available", "False", "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.", now));
    progress(d, old, s, rsName, now);
    return writer.writeStatus(d, old, s, complete(d, s), () -> d.setStatus(s));
  }

  private static int statusCount(ReplicaSet rs, boolean all) {
    return rs.getStatus() == null ? 0 : count(all ? rs.getStatus().getReplicas() : rs.getStatus().getReadyReplicas());
  }

  /** The controller's syncRolloutStatus: the Progressing condition. */
  private void progress(Deployment d, DeploymentStatus old, DeploymentStatus s, String rsName, Instant now) {
    final DeploymentCondition current = find(s, "Progressing");
    final boolean alreadyComplete = count(s.getReplicas()) == count(s.getUpdatedReplicas()) && current != null
        && "NewReplicaSetAvailable".equals(current.getReason());
    if (alreadyComplete) {
      return;
    }
    final String subject = rsName == null ? "Deployment \"" + d.getMetadata().getName() + "\""
        : "ReplicaSet \"" + rsName + "\"";
    if (complete(d, s)) {
      set(s, condition("Progressing", "True", "NewReplicaSetAvailable", subject + " has successfully progressed.",
          now));
    } else if (progressed(old, s)) {
      final DeploymentCondition updated = condition("Progressing", "True", "ReplicaSetUpdated",
          subject + " is progressing.", now);
      if (current != null && "True".equals(current.getStatus())) {
        updated.setLastTransitionTime(current.getLastTransitionTime());
      }
      s.getConditions().removeIf(c -> "Progressing".equals(c.getType()));
      s.getConditions().add(updated);
      wakeAt.accept(deadline(d, updated));
    } else if (current != null && !"ProgressDeadlineExceeded".equals(current.getReason())) {
      final Instant deadline = deadline(d, current);
      if (now.isAfter(deadline)) {
        set(s, condition("Progressing", "False", "ProgressDeadlineExceeded", subject + " has timed out progressing.",
            now));
      } else {
        wakeAt.accept(deadline);
      }
    }
  }

  /** When no progress since the condition's lastUpdateTime means the deadline passed (timestamps are seconds). */
  private static Instant deadline(Deployment d, DeploymentCondition c) {
    final int seconds = Optional.ofNullable(d.getSpec().getProgressDeadlineSeconds()).orElse(600);
    return Instant.parse(c.getLastUpdateTime()).plusSeconds(seconds).plusMillis(1);
  }

  private static boolean progressed(DeploymentStatus old, DeploymentStatus s) {
    final int oldOld = count(old.getReplicas()) - count(old.getUpdatedReplicas());
    final int newOld = count(s.getReplicas()) - count(s.getUpdatedReplicas());
    return count(s.getUpdatedReplicas()) > count(old.getUpdatedReplicas()) || newOld < oldOld
        || count(s.getReadyReplicas()) > count(old.getReadyReplicas())
        || count(s.getAvailableReplicas()) > count(old.getAvailableReplicas());
  }

  private static DeploymentCondition find(DeploymentStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static DeploymentCondition condition(String type, String status, String reason, String message,
      Instant now) {
    final String ts = timestamp(now);
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastUpdateTime(ts).withLastTransitionTime(ts).build();
  }

  /**
   * SetDeploymentCondition: nothing changes when status and reason are the same; lastTransitionTime stays when only
   * the reason changes.
   */
  private static void set(DeploymentStatus s, DeploymentCondition c) {
    final DeploymentCondition current = find(s, c.getType());
    if (current != null && current.getStatus().equals(c.getStatus()) && current.getReason().equals(c.getReason())) {
      return;
    }
    if (current != null && current.getStatus().equals(c.getStatus())) {
      c.setLastTransitionTime(current.getLastTransitionTime());
    }
    s.getConditions().removeIf(x -> c.getType().equals(x.getType()));
    s.getConditions().add(c);
  }
}
