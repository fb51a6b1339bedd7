package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Objects;

/**
 * Readiness by the rules of {@code kubectl rollout status}, stricter than fabric8's Readiness: the
 * controller must have seen the latest generation, every replica must run the new template, no old
 * replica may remain, and a StatefulSet's revisions must match. A Job is ready when complete. Which
 * rule a kind gets is {@link WorkloadKind}'s table.
 */
public final class RolloutRules {

  private RolloutRules() {}

  /** The workload's state by its kind's rule; ready for an object that runs no pods. */
  public static WorkloadState of(HasMetadata workload) {
    return WorkloadKind.of(workload).map(k -> k.readiness(workload)).orElse(WorkloadState.ready());
  }

  static WorkloadState deployment(Deployment d) {
    DeploymentStatus st = d.getStatus();
    if (!observed(d, st == null ? null : st.getObservedGeneration())) {
      return WorkloadState.waiting("rollout not yet observed by the controller");
    }
    for (DeploymentCondition c : nonNull(st.getConditions())) {
      if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
        return WorkloadState.failed(
            "Deployment " + d.getMetadata().getName() + " did not finish its rollout within progressDeadlineSeconds"
                + " (ProgressDeadlineExceeded" + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ").",
            "See why its new pods are not ready: kubectl describe deployment -n " + d.getMetadata().getNamespace() + " "
                + d.getMetadata().getName() + ".");
      }
    }
    int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int updated = orZero(st.getUpdatedReplicas());
    int total = orZero(st.getReplicas());
    int available = orZero(st.getAvailableReplicas());
    if (updated < desired) {
      return WorkloadState.waiting(updated + " of " + desired + " replicas updated");
    }
    if (total > updated) {
      return WorkloadState.waiting((total - updated) + " old replicas pending termination");
    }
    if (available < updated) {
      return WorkloadState.waiting(available + " of " + updated + " updated replicas available");
    }
    return WorkloadState.ready();
  }

  static WorkloadState statefulSet(StatefulSet s) {
    StatefulSetStatus st = s.getStatus();
    if (!observed(s, st == null ? null : st.getObservedGeneration())) {
      return WorkloadState.waiting("rollout not yet observed by the controller");
    }
    int desired = s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
    int ready = orZero(st.getReadyReplicas());
    if (ready < desired) {
      return WorkloadState.waiting(ready + " of " + desired + " replicas ready");
    }
    Integer partition = s.getSpec().getUpdateStrategy() == null || s.getSpec().getUpdateStrategy().getRollingUpdate() == null
        ? null : s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    if (partition != null && partition > 0) {
      // kubectl: a partitioned rollout is complete once the pods at or above the partition are updated
      int expected = Math.max(0, desired - partition);
      return orZero(st.getUpdatedReplicas()) < expected
          ? WorkloadState.waiting("partitioned rollout: " + orZero(st.getUpdatedReplicas()) + " of " + expected + " new pods updated")
          : WorkloadState.ready();
    }
    boolean onDelete = s.getSpec().getUpdateStrategy() != null && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
    if (!onDelete && st.getUpdateRevision() != null && !Objects.equals(st.getUpdateRevision(), st.getCurrentRevision())) {
      return WorkloadState.waiting(
          "rolling update to revision " + st.getUpdateRevision() + ": " + orZero(st.getUpdatedReplicas()) + " of " + desired + " updated");
    }
    return WorkloadState.ready();
  }

  static WorkloadState daemonSet(DaemonSet d) {
    DaemonSetStatus st = d.getStatus();
    if (!observed(d, st == null ? null : st.getObservedGeneration())) {
      return WorkloadState.waiting("rollout not yet observed by the controller");
    }
    int desired = orZero(st.getDesiredNumberScheduled());
    if (orZero(st.getUpdatedNumberScheduled()) < desired) {
      return WorkloadState.waiting(orZero(st.getUpdatedNumberScheduled()) + " of " + desired + " pods updated");
    }
    if (orZero(st.getNumberAvailable()) < desired) {
      return WorkloadState.waiting(orZero(st.getNumberAvailable()) + " of " + desired + " updated pods available");
    }
    return WorkloadState.ready();
  }

  /** As kstatus judges a ReplicaSet: its generation seen, every replica ready and available. */
  static WorkloadState replicaSet(ReplicaSet r) {
    ReplicaSetStatus st = r.getStatus();
    if (!observed(r, st == null ? null : st.getObservedGeneration())) {
      return WorkloadState.waiting("not yet observed by the controller");
    }
    for (ReplicaSetCondition c : nonNull(st.getConditions())) {
      if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
        return WorkloadState.waiting("replica failure: " + c.getMessage());
      }
    }
    int desired = r.getSpec() == null || r.getSpec().getReplicas() == null ? 1 : r.getSpec().getReplicas();
    if (orZero(st.getReadyReplicas()) < desired) {
      return WorkloadState.waiting(orZero(st.getReadyReplicas()) + " of " + desired + " replicas ready");
    }
    if (orZero(st.getAvailableReplicas()) < desired) {
      return WorkloadState.waiting(orZero(st.getAvailableReplicas()) + " of " + desired + " replicas available");
    }
    return WorkloadState.ready();
  }

  static WorkloadState job(Job j) {
    List<JobCondition> conditions = j.getStatus() == null ? List.of() : nonNull(j.getStatus().getConditions());
    for (JobCondition c : conditions) {
      if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
        return WorkloadState.ready();
      }
      if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
        return WorkloadState.failed(
            "Job " + j.getMetadata().getName() + " failed (" + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ").",
            "See its pods' output: kubectl logs -n " + j.getMetadata().getNamespace() + " job/" + j.getMetadata().getName() + ".");
      }
    }
    return WorkloadState.waiting("not complete yet");
  }

  static WorkloadState pod(Pod p) {
    if (p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase())) {
      return WorkloadState.ready();
    }
    boolean ready = p.getStatus() != null
        && nonNull(p.getStatus().getConditions()).stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return ready ? WorkloadState.ready() : WorkloadState.waiting("pod not ready");
  }

  /**
   * Whether the workload's controller has seen its latest generation; true for kinds whose status
   * records none (Job, Pod, CronJob).
   */
  static boolean observedLatest(HasMetadata workload) {
    Long observed;
    if (workload instanceof Deployment d) {
      observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
    } else if (workload instanceof StatefulSet s) {
      observed = s.getStatus() == null ? null : s.getStatus().getObservedGeneration();
    } else if (workload instanceof DaemonSet d) {
      observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
    } else if (workload instanceof ReplicaSet r) {
      observed = r.getStatus() == null ? null : r.getStatus().getObservedGeneration();
    } else {
      return true;
    }
    return observed(workload, observed);
  }

  private static boolean observed(HasMetadata o, Long observedGeneration) {
    Long generation = o.getMetadata().getGeneration();
    return observedGeneration != null && (generation == null || observedGeneration >= generation);
  }

  /** The pod's Ready condition is True. */
  public static boolean isPodReady(Pod p) {
    if (p.getStatus() == null) {
      return false;
    }
    for (PodCondition c : nonNull(p.getStatus().getConditions())) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
