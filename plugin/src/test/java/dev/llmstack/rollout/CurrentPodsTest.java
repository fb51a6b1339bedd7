package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which pods belong to a workload's current revision, as the controllers tell them apart. */
class CurrentPodsTest {

  private final List<Pod> pods = new ArrayList<>();
  private final List<ReplicaSet> replicaSets = new ArrayList<>();
  private final List<ControllerRevision> revisions = new ArrayList<>();
  private final CurrentPods.View view = new CurrentPods.View() {
    @Override
    public List<Pod> pods(String namespace) {
      return pods;
    }

    @Override
    public List<ReplicaSet> replicaSets(String namespace) {
      return replicaSets;
    }

    @Override
    public List<ControllerRevision> controllerRevisions(String namespace) {
      return revisions;
    }
  };

  private static ObjectMetaBuilder meta(String name, String uid, HasMetadata owner) {
    ObjectMetaBuilder m = new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid);
    if (owner != null) {
      m.withOwnerReferences(new OwnerReferenceBuilder().withKind(owner.getKind()).withName(owner.getMetadata().getName())
          .withUid(owner.getMetadata().getUid()).withController(true).build());
    }
    return m;
  }

  private Pod pod(String name, HasMetadata owner, Map<String, String> labels, boolean ready) {
    Pod p = new PodBuilder().withMetadata(meta(name, name + "-uid", owner).withLabels(labels).build())
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus().build();
    pods.add(p);
    return p;
  }

  private static Deployment deployment(long generation, long observed, String revision) {
    return new DeploymentBuilder().withMetadata(meta("web", "d-uid", null).withGeneration(generation)
            .withAnnotations(Map.of("deployment.kubernetes.io/revision", revision)).build())
        .withNewStatus().withObservedGeneration(observed).endStatus().build();
  }

  private ReplicaSet replicaSet(String hash, String revision, Deployment owner) {
    ReplicaSet rs = new ReplicaSetBuilder().withMetadata(meta("web-" + hash, "rs-" + hash, owner)
        .withAnnotations(Map.of("deployment.kubernetes.io/revision", revision)).build()).build();
    replicaSets.add(rs);
    return rs;
  }

  @Test
  @DisplayName("Deployment: only the pods of the ReplicaSet with the Deployment's revision, not the old one's still crashing")
  void deploymentNewestReplicaSet() {
    Deployment d = deployment(2, 2, "2");
    ReplicaSet old = replicaSet("aaaa", "1", d);
    ReplicaSet current = replicaSet("bbbb", "2", d);
    pod("web-aaaa-x1", old, Map.of(), false);
    Pod fresh = pod("web-bbbb-y1", current, Map.of(), false);

    assertThat(CurrentPods.of(WorkloadKind.DEPLOYMENT, d, view)).containsExactly(fresh);
  }

  @Test
  @DisplayName("Deployment not yet observed at its new generation: no pods (its revision annotation still names the old ReplicaSet)")
  void deploymentNotObserved() {
    Deployment d = deployment(3, 2, "1");
    ReplicaSet old = replicaSet("aaaa", "1", d);
    pod("web-aaaa-x1", old, Map.of(), false);

    assertThat(CurrentPods.of(WorkloadKind.DEPLOYMENT, d, view)).isEmpty();
  }

  @Test
  @DisplayName("a ReplicaSet of another Deployment with the same revision is not this one's")
  void otherDeploymentsReplicaSet() {
    Deployment d = deployment(1, 1, "1");
    Deployment other = new DeploymentBuilder().withMetadata(meta("other", "other-uid", null).build()).build();
    ReplicaSet foreign = replicaSet("cccc", "1", other);
    pod("other-cccc-z", foreign, Map.of(), false);

    assertThat(CurrentPods.of(WorkloadKind.DEPLOYMENT, d, view)).isEmpty();
  }

  private static StatefulSet statefulSet(String update, String policy, Integer partition) {
    StatefulSetBuilder b = new StatefulSetBuilder().withMetadata(meta("db", "sts-uid", null).withGeneration(2L).build())
        .withNewSpec().withReplicas(2).withPodManagementPolicy(policy)
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(partition).endRollingUpdate().endUpdateStrategy()
        .endSpec()
        .withNewStatus().withObservedGeneration(2L).withUpdateRevision(update).withCurrentRevision("db-old").endStatus();
    return b.build();
  }

  @Test
  @DisplayName("StatefulSet: the pods at status.updateRevision only")
  void statefulSetUpdateRevision() {
    StatefulSet sts = statefulSet("db-new", null, null);
    pod("db-1", sts, Map.of("controller-revision-hash", "db-old"), false);
    Pod updated = pod("db-0", sts, Map.of("controller-revision-hash", "db-new"), false);

    assertThat(CurrentPods.of(WorkloadKind.STATEFUL_SET, sts, view)).containsExactly(updated);
  }

  @Test
  @DisplayName("StatefulSet, OrderedReady: an old-revision pod that is not ready blocks the rollout (forced rollback); a ready one does not")
  void statefulSetBlockingPods() {
    StatefulSet sts = statefulSet("db-new", null, null);
    Pod broken = pod("db-0", sts, Map.of("controller-revision-hash", "db-old"), false);
    pod("db-1", sts, Map.of("controller-revision-hash", "db-old"), true);

    assertThat(CurrentPods.blockingOldRevision(sts, view)).containsExactly(broken);
  }

  @Test
  @DisplayName("StatefulSet with Parallel pod management, or the pod below the partition: nothing blocks")
  void statefulSetNotBlocking() {
    StatefulSet parallel = statefulSet("db-new", "Parallel", null);
    pod("db-0", parallel, Map.of("controller-revision-hash", "db-old"), false);
    assertThat(CurrentPods.blockingOldRevision(parallel, view)).isEmpty();

    StatefulSet partitioned = statefulSet("db-new", null, 1);
    assertThat(CurrentPods.blockingOldRevision(partitioned, view)).isEmpty(); // db-0 is below partition 1
  }

  @Test
  @DisplayName("DaemonSet: the pods with the hash of its newest ControllerRevision")
  void daemonSet() {
    var ds = new DaemonSetBuilder().withMetadata(meta("agent", "ds-uid", null).withGeneration(1L).build())
        .withNewStatus().withObservedGeneration(1L).endStatus().build();
    revisions.add(new ControllerRevisionBuilder().withMetadata(meta("agent-111", "cr1", ds).withLabels(Map.of("controller-revision-hash", "111")).build())
        .withRevision(1L).build());
    revisions.add(new ControllerRevisionBuilder().withMetadata(meta("agent-222", "cr2", ds).withLabels(Map.of("controller-revision-hash", "222")).build())
        .withRevision(2L).build());
    pod("agent-a", ds, Map.of("controller-revision-hash", "111"), false);
    Pod current = pod("agent-b", ds, Map.of("controller-revision-hash", "222"), false);

    assertThat(CurrentPods.of(WorkloadKind.DAEMON_SET, ds, view)).containsExactly(current);
  }

  @Test
  @DisplayName("Job: the pods labelled with its uid; a pod being deleted is nobody's current pod")
  void job() {
    var job = new JobBuilder().withMetadata(meta("migrate", "job-uid", null).build()).build();
    Pod mine = pod("migrate-a", null, Map.of("batch.kubernetes.io/controller-uid", "job-uid"), false);
    pod("migrate-old", null, Map.of("batch.kubernetes.io/controller-uid", "earlier-job-uid"), false);
    Pod leaving = pod("migrate-b", null, Map.of("controller-uid", "job-uid"), false);
    leaving.getMetadata().setDeletionTimestamp("2026-12-03T10:00:00Z");

    assertThat(CurrentPods.of(WorkloadKind.JOB, job, view)).containsExactly(mine);
  }

  @Test
  @DisplayName("CronJob: no pods to judge")
  void cronJob() {
    var cron = new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder().withMetadata(meta("nightly", "cj", null).build()).build();
    pod("nightly-1", cron, Map.of(), false);

    assertThat(CurrentPods.of(WorkloadKind.CRON_JOB, cron, view)).isEmpty();
  }
}
