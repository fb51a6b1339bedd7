package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The pods of a workload's current revision, found as its controller finds them: pods of an
 * earlier revision still draining (and perhaps crashing, as after a fix of a crashing template)
 * are not the rollout's and never fail it nor appear in its diagnosis.
 *
 * <ul>
 *   <li>Deployment: the pods of its newest ReplicaSet, the one whose
 *       {@code deployment.kubernetes.io/revision} the Deployment carries
 *       (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pod-template-hash-label);
 *   <li>StatefulSet: its pods whose {@code controller-revision-hash} is {@code status.updateRevision};
 *   <li>DaemonSet: its pods whose {@code controller-revision-hash} is that of its newest
 *       ControllerRevision;
 *   <li>Job: the pods labelled with its uid ({@code batch.kubernetes.io/controller-uid});
 *   <li>ReplicaSet: the pods it controls; a bare Pod: itself; a CronJob: none.
 * </ul>
 */
public final class CurrentPods {

  static final String DEPLOYMENT_REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HASH = "controller-revision-hash";
  private static final List<String> JOB_UID_LABELS = List.of("batch.kubernetes.io/controller-uid", "controller-uid");

  /** What the wait's watches hold in a namespace: pods, and what stands between a workload and its pods. */
  public interface View {
    List<Pod> pods(String namespace);

    List<ReplicaSet> replicaSets(String namespace);

    List<ControllerRevision> controllerRevisions(String namespace);
  }

  private CurrentPods() {}

  /**
   * The live pods (not being deleted) of the workload's current revision; none while its controller
   * has not seen its latest generation (until then, the revision it names is the previous one).
   */
  public static List<Pod> of(WorkloadKind kind, HasMetadata workload, View view) {
    if (!RolloutRules.observedLatest(workload)) {
      return List.of();
    }
    String ns = workload.getMetadata().getNamespace();
    Predicate<Pod> current = switch (kind) {
      case DEPLOYMENT -> newestReplicaSet((Deployment) workload, view.replicaSets(ns))
          .<Predicate<Pod>>map(rs -> p -> controlledBy(p, rs))
          .orElse(p -> false);
      case STATEFUL_SET -> statefulSetRevision((StatefulSet) workload);
      case DAEMON_SET -> daemonSetRevision(workload, view.controllerRevisions(ns));
      case REPLICA_SET -> p -> controlledBy(p, workload);
      case JOB -> p -> JOB_UID_LABELS.stream().anyMatch(l -> Objects.equals(label(p, l), workload.getMetadata().getUid()))
          || controlledBy(p, workload);
      case POD -> p -> Objects.equals(p.getMetadata().getName(), workload.getMetadata().getName());
      case CRON_JOB -> p -> false;
    };
    return view.pods(ns).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).filter(current).toList();
  }

  /**
   * Pods of a StatefulSet at an earlier revision that are not Ready, below which a rolling update
   * with the default {@code OrderedReady} policy does not go on: the controller waits for such a pod
   * forever, and the fix the Kubernetes documentation gives is to delete it
   * (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#forced-rollback). With
   * {@code Parallel}, {@code OnDelete} or a partition above the pod's ordinal, none.
   */
  public static List<Pod> blockingOldRevision(StatefulSet sts, View view) {
    if (sts.getSpec() == null || sts.getStatus() == null || sts.getStatus().getUpdateRevision() == null
        || "Parallel".equals(sts.getSpec().getPodManagementPolicy())
        || (sts.getSpec().getUpdateStrategy() != null && "OnDelete".equals(sts.getSpec().getUpdateStrategy().getType()))) {
      return List.of();
    }
    int partition = sts.getSpec().getUpdateStrategy() == null || sts.getSpec().getUpdateStrategy().getRollingUpdate() == null
        || sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() == null
        ? 0 : sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    String update = sts.getStatus().getUpdateRevision();
    return view.pods(sts.getMetadata().getNamespace()).stream()
        .filter(p -> controlledBy(p, sts))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> !update.equals(label(p, REVISION_HASH)))
        .filter(p -> ordinal(p, sts) >= partition)
        .filter(p -> !RolloutRules.isPodReady(p))
        .toList();
  }

  /**
   * The ReplicaSet of the Deployment's current template: the one of its ReplicaSets with the
   * revision the Deployment carries, or (when it carries none yet) the newest.
   */
  static Optional<ReplicaSet> newestReplicaSet(Deployment d, List<ReplicaSet> replicaSets) {
    List<ReplicaSet> owned = replicaSets.stream().filter(rs -> controlledBy(rs, d)).toList();
    String revision = annotation(d, DEPLOYMENT_REVISION);
    if (revision != null) {
      return owned.stream().filter(rs -> revision.equals(annotation(rs, DEPLOYMENT_REVISION))).findFirst();
    }
    return owned.stream().max(Comparator.comparingLong(rs -> number(annotation(rs, DEPLOYMENT_REVISION))));
  }

  private static Predicate<Pod> statefulSetRevision(StatefulSet sts) {
    String update = sts.getStatus() == null ? null : sts.getStatus().getUpdateRevision();
    return p -> controlledBy(p, sts) && (update == null || update.equals(label(p, REVISION_HASH)));
  }

  private static Predicate<Pod> daemonSetRevision(HasMetadata ds, List<ControllerRevision> revisions) {
    Optional<String> hash = revisions.stream()
        .filter(r -> controlledBy(r, ds))
        .max(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision()))
        .map(r -> Optional.ofNullable(label(r, REVISION_HASH)).orElse(r.getMetadata().getName().substring(ds.getMetadata().getName().length() + 1)));
    return p -> controlledBy(p, ds) && hash.map(h -> h.equals(label(p, REVISION_HASH))).orElse(true);
  }

  /** Whether the owner is the object's controller (its ownerReference with controller: true, by uid). */
  static boolean controlledBy(HasMetadata object, HasMetadata owner) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    String uid = owner.getMetadata().getUid();
    return uid != null && refs != null
        && refs.stream().anyMatch(r -> uid.equals(r.getUid()) && !Boolean.FALSE.equals(r.getController()));
  }

  private static int ordinal(Pod p, StatefulSet sts) {
    String suffix = p.getMetadata().getName().substring(Math.min(p.getMetadata().getName().length(), sts.getMetadata().getName().length() + 1));
    return (int) number(suffix);
  }

  private static long number(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String label(HasMetadata o, String key) {
    Map<String, String> labels = o.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static String annotation(HasMetadata o, String key) {
    Map<String, String> annotations = o.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
