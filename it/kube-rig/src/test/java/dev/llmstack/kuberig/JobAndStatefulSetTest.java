package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.Workloads.job;
import static dev.llmstack.kuberig.Workloads.statefulSet;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated kubelet: Jobs, StatefulSets, DaemonSets")
class JobAndStatefulSetTest {

  private static KubeRig rig;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    rig = KubeRig.start();
    client = rig.client();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  private static JobCondition condition(Job j, String type) {
    return j.getStatus() == null || j.getStatus().getConditions() == null ? null
        : j.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  @Test
  @DisplayName("Given a Job, then its pod succeeds and the Job is Complete with succeeded=1 and a completionTime")
  void jobCompletes() {
    client.resource(job("j1", "migrate", template("migrate", "m:1", Map.of()))).create();
    final Job done = client.batch().v1().jobs().inNamespace("j1").withName("migrate")
        .waitUntilCondition(j -> condition(j, "Complete") != null, 10, TimeUnit.SECONDS);
    assertThat(condition(done, "Complete").getStatus()).isEqualTo("True");
    assertThat(done.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(done.getStatus().getCompletionTime()).isNotBlank();
    final List<Pod> pods = client.pods().inNamespace("j1").withLabel("job-name", "migrate").list().getItems();
    assertThat(pods).singleElement().satisfies(p -> {
      assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
      assertThat(p.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isZero();
    });
    assertThat(rig.kubelet().markedReadyAt("j1", "migrate")).isPresent();
  }

  @Test
  @DisplayName("Given a Job with fail=CrashLoopBackOff, then its pod fails and the Job is Failed BackoffLimitExceeded")
  void jobFails() {
    client.resource(job("j2", "broken", template("broken", "b:1",
        Map.of(KubeletSimulator.FAIL_ANNOTATION, "CrashLoopBackOff")))).create();
    final Job failed = client.batch().v1().jobs().inNamespace("j2").withName("broken")
        .waitUntilCondition(j -> condition(j, "Failed") != null, 10, TimeUnit.SECONDS);
    assertThat(condition(failed, "Failed").getStatus()).isEqualTo("True");
    assertThat(condition(failed, "Failed").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(condition(failed, "Complete")).isNull();
    assertThat(client.pods().inNamespace("j2").withLabel("job-name", "broken").list().getItems())
        .singleElement().satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
  }

  private static void completedJob(String namespace, String name) {
    client.resource(job(namespace, name, template(name, name + ":1", Map.of()))).create();
    client.batch().v1().jobs().inNamespace(namespace).withName(name)
        .waitUntilCondition(j -> condition(j, "Complete") != null, 10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Given a Job, when it is deleted with propagationPolicy Background, then the garbage collector deletes its pod")
  void jobDeletionRemovesPod() throws Exception {
    completedJob("j3", "once");
    client.batch().v1().jobs().inNamespace("j3").withName("once").withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    // the collector works after the Job is gone, as a real one does: read until the pod has gone too
    Eventually.until("the pod of j3/once deleted", () -> client.pods().inNamespace("j3").list().getItems(),
        List::isEmpty);
  }

  @Test
  @DisplayName("Given a Job, when it is deleted without a propagation policy, then its pod stays, no longer owned (batch/v1's default), and the answer warns")
  void jobDeletionWithoutPolicyOrphansPod() throws Exception {
    // Given
    completedJob("j4", "kept");
    // When
    final HttpResponse<String> answer = Http.send("DELETE", rig.url() + "/apis/batch/v1/namespaces/j4/jobs/kept",
        null, null);
    // Then
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w)
        .contains("child pods are preserved by default when jobs are deleted"));
    Eventually.until("the Job j4/kept gone", () -> client.batch().v1().jobs().inNamespace("j4").withName("kept")
        .get(), Objects::isNull);
    final Pod orphan = Eventually.until("the pod of j4/kept without its ownerReference",
        () -> client.pods().inNamespace("j4").list().getItems(), l -> l.size() == 1
            && (l.get(0).getMetadata().getOwnerReferences() == null
                || l.get(0).getMetadata().getOwnerReferences().isEmpty())).get(0);
    assertThat(orphan.getStatus().getPhase()).isEqualTo("Succeeded");
  }

  static boolean stsReady(StatefulSet s) {
    final StatefulSetStatus st = s.getStatus();
    return st != null && st.getReadyReplicas() != null && st.getReadyReplicas().equals(s.getSpec().getReplicas())
        && st.getUpdateRevision() != null && st.getUpdateRevision().equals(st.getCurrentRevision())
        && st.getObservedGeneration() >= s.getMetadata().getGeneration()
        && st.getUpdatedReplicas() != null && st.getUpdatedReplicas().equals(s.getSpec().getReplicas());
  }

  @Test
  @DisplayName("Given a StatefulSet with 2 replicas and a claim template, then pods come up in order with bound PVCs; a template change rolls the revision")
  void statefulSetRevisions() {
    // Given
    final StatefulSet sts = statefulSet("s1", "db", 2, template("db", "pg:1",
        Map.of(KubeletSimulator.READY_AFTER_ANNOTATION, "1")));
    sts.getSpec().setVolumeClaimTemplates(List.of(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()));
    client.resource(sts).fieldManager("t").serverSideApply();
    // Then: ordered
    final Pod first = client.pods().inNamespace("s1").withName("db-0")
        .waitUntilCondition(p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
            10, TimeUnit.SECONDS);
    assertThat(KubeletSimulator.isReady(first)).isFalse();
    assertThat(client.pods().inNamespace("s1").withName("db-1").get()).isNull();
    final StatefulSet ready = client.apps().statefulSets().inNamespace("s1").withName("db")
        .waitUntilCondition(JobAndStatefulSetTest::stsReady, 10, TimeUnit.SECONDS);
    final String rev1 = ready.getStatus().getUpdateRevision();
    assertThat(rev1).matches("db-[a-z0-9]{10}");
    assertThat(ready.getStatus().getReplicas()).isEqualTo(2);
    assertThat(ready.getStatus().getCurrentReplicas()).isEqualTo(2);
    assertThat(ready.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(client.pods().inNamespace("s1").withLabel("app", "db").list().getItems())
        .extracting(p -> p.getMetadata().getLabels().get("controller-revision-hash")).containsOnly(rev1);
    final List<PersistentVolumeClaim> pvcs = client.persistentVolumeClaims().inNamespace("s1").list().getItems();
    assertThat(pvcs).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("data-db-0", "data-db-1");
    assertThat(client.persistentVolumeClaims().inNamespace("s1").withName("data-db-1")
        .waitUntilCondition(p -> p.getStatus() != null && "Bound".equals(p.getStatus().getPhase()), 5,
            TimeUnit.SECONDS)).isNotNull();
    // When
    client.resource(statefulSet("s1", "db", 2, template("db", "pg:2",
        Map.of(KubeletSimulator.READY_AFTER_ANNOTATION, "1")))).fieldManager("t").serverSideApply();
    // Then: updateRevision changes at once, currentRevision catches up
    final StatefulSet rolling = client.apps().statefulSets().inNamespace("s1").withName("db")
        .waitUntilCondition(s -> s.getStatus().getObservedGeneration() == 2L, 5, TimeUnit.SECONDS);
    assertThat(rolling.getStatus().getUpdateRevision()).isNotEqualTo(rev1);
    assertThat(rolling.getStatus().getCurrentRevision()).isEqualTo(rev1);
    final StatefulSet rolled = client.apps().statefulSets().inNamespace("s1").withName("db")
        .waitUntilCondition(JobAndStatefulSetTest::stsReady, 15, TimeUnit.SECONDS);
    assertThat(rolled.getStatus().getCurrentRevision()).isEqualTo(rolling.getStatus().getUpdateRevision());
    assertThat(client.pods().inNamespace("s1").withLabel("app", "db").list().getItems())
        .extracting(p -> p.getSpec().getContainers().get(0).getImage()).containsOnly("pg:2");
  }

  @Test
  @DisplayName("Given a DaemonSet, then one pod runs on the single node and the status counts it")
  void daemonSet() {
    final DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("ds").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
        .withTemplate(template("agent", "agent:1", Map.of())).endSpec().build();
    client.resource(ds).fieldManager("t").serverSideApply();
    final DaemonSet ready = client.apps().daemonSets().inNamespace("ds").withName("agent")
        .waitUntilCondition(d -> d.getStatus() != null && d.getStatus().getNumberReady() != null
            && d.getStatus().getNumberReady() == 1, 10, TimeUnit.SECONDS);
    assertThat(ready.getStatus().getDesiredNumberScheduled()).isEqualTo(1);
    assertThat(ready.getStatus().getCurrentNumberScheduled()).isEqualTo(1);
    assertThat(ready.getStatus().getUpdatedNumberScheduled()).isEqualTo(1);
    assertThat(ready.getStatus().getNumberAvailable()).isEqualTo(1);
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(client.pods().inNamespace("ds").withLabel("app", "agent").list().getItems()).hasSize(1);
  }
}
