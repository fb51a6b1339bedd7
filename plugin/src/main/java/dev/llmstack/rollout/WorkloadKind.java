package dev.llmstack.rollout;

import dev.llmstack.kube.Kinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one table of the kinds that run pods. Each row says how to find the pod template, how to
 * judge the workload ready ({@link RolloutRules}), and which of the cluster's pods belong to the
 * revision being rolled out ({@link CurrentPods}); deploy's wait, its diagnosis, the no-change
 * check, image rewriting and the dev loop all ask here. Any other object (a Service, a custom
 * resource) is judged by its conditions ({@link ConditionRules}).
 */
public enum WorkloadKind {
  DEPLOYMENT(Deployment.class),
  STATEFUL_SET(StatefulSet.class),
  DAEMON_SET(DaemonSet.class),
  REPLICA_SET(ReplicaSet.class),
  JOB(Job.class),
  /** Runs Jobs on a schedule: nothing to wait for when it is applied. */
  CRON_JOB(CronJob.class),
  POD(Pod.class);

  private final Class<? extends HasMetadata> type;
  private final String groupKind;

  WorkloadKind(Class<? extends HasMetadata> type) {
    this.type = type;
    this.groupKind = Kinds.groupKind(type);
  }

  /** The row for the object's kind (by apiVersion and kind); empty for objects that run no pods. */
  public static Optional<WorkloadKind> of(HasMetadata object) {
    String gk = Kinds.groupKind(object);
    return Arrays.stream(values()).filter(k -> k.groupKind.equals(gk)).findFirst();
  }

  /** Whether the object runs pods (a workload). */
  public static boolean runsPods(HasMetadata object) {
    return of(object).isPresent();
  }

  /** The kind's fabric8 type. */
  public Class<? extends HasMetadata> type() {
    return type;
  }

  /** Whether deploy waits for it: everything but a CronJob, whose Jobs run later on their schedule. */
  public boolean isWaitedFor() {
    return this != CRON_JOB;
  }

  /** The pod template (a CronJob's is in its job template); empty for a bare Pod. */
  public Optional<PodTemplateSpec> template(HasMetadata object) {
    PodTemplateSpec template = switch (this) {
      case DEPLOYMENT -> ((Deployment) object).getSpec() == null ? null : ((Deployment) object).getSpec().getTemplate();
      case STATEFUL_SET -> ((StatefulSet) object).getSpec() == null ? null : ((StatefulSet) object).getSpec().getTemplate();
      case DAEMON_SET -> ((DaemonSet) object).getSpec() == null ? null : ((DaemonSet) object).getSpec().getTemplate();
      case REPLICA_SET -> ((ReplicaSet) object).getSpec() == null ? null : ((ReplicaSet) object).getSpec().getTemplate();
      case JOB -> ((Job) object).getSpec() == null ? null : ((Job) object).getSpec().getTemplate();
      case CRON_JOB -> cronJobTemplate((CronJob) object);
      case POD -> null;
    };
    return Optional.ofNullable(template);
  }

  /** The pod spec the workload runs: its template's, or a bare Pod's own. */
  public Optional<PodSpec> podSpec(HasMetadata object) {
    return this == POD
        ? Optional.ofNullable(((Pod) object).getSpec())
        : template(object).map(PodTemplateSpec::getSpec);
  }

  /** The pod spec of any object that runs pods; empty for anything else. */
  public static Optional<PodSpec> podSpecOf(HasMetadata object) {
    return of(object).flatMap(k -> k.podSpec(object));
  }

  /**
   * How many pods of it run at once once it is rolled out (what the scheduler has to place): the replicas of a
   * Deployment, StatefulSet or ReplicaSet (default 1), a Job's parallelism (default 1), one DaemonSet pod per node,
   * a bare Pod; none for a CronJob, whose Jobs run later on their schedule.
   */
  public int podsAtOnce(HasMetadata object, int nodes) {
    Integer n = switch (this) {
      case DEPLOYMENT -> ((Deployment) object).getSpec() == null ? null : ((Deployment) object).getSpec().getReplicas();
      case STATEFUL_SET -> ((StatefulSet) object).getSpec() == null ? null : ((StatefulSet) object).getSpec().getReplicas();
      case REPLICA_SET -> ((ReplicaSet) object).getSpec() == null ? null : ((ReplicaSet) object).getSpec().getReplicas();
      case JOB -> ((Job) object).getSpec() == null ? null : ((Job) object).getSpec().getParallelism();
      case DAEMON_SET -> nodes;
      case CRON_JOB -> 0;
      case POD -> 1;
    };
    return n == null ? 1 : n;
  }

  /** Where it stands by the rules of {@code kubectl rollout status} ({@link RolloutRules}); needs the typed object. */
  public WorkloadState readiness(HasMetadata object) {
    return switch (this) {
      case DEPLOYMENT -> RolloutRules.deployment((Deployment) object);
      case STATEFUL_SET -> RolloutRules.statefulSet((StatefulSet) object);
      case DAEMON_SET -> RolloutRules.daemonSet((DaemonSet) object);
      case REPLICA_SET -> RolloutRules.replicaSet((ReplicaSet) object);
      case JOB -> RolloutRules.job((Job) object);
      case CRON_JOB -> WorkloadState.ready();
      case POD -> RolloutRules.pod((Pod) object);
    };
  }

  private static PodTemplateSpec cronJobTemplate(CronJob c) {
    return c.getSpec() == null || c.getSpec().getJobTemplate() == null || c.getSpec().getJobTemplate().getSpec() == null
        ? null
        : c.getSpec().getJobTemplate().getSpec().getTemplate();
  }
}
