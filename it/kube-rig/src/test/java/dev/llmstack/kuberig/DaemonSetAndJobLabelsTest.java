package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.Workloads.job;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Simulated controllers: DaemonSet revisions, Job selector and labels")
class DaemonSetAndJobLabelsTest extends SimulatedClusterTest {

  private static DaemonSet daemonSet(String image) {
    return new DaemonSetBuilder().withNewMetadata().withName("agent").withNamespace("dsrev").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
        .withTemplate(template("agent", image, Map.of())).endSpec().build();
  }

  /** The DaemonSet's one pod, once it runs the image and is ready (the old one deleted). */
  private static Pod awaitReadyPod(String image) throws InterruptedException {
    return Eventually.until("one ready pod of " + image, () -> client.pods().inNamespace("dsrev").list().getItems(),
        l -> l.size() == 1 && image.equals(l.get(0).getSpec().getContainers().get(0).getImage())
            && KubeletSimulator.isReady(l.get(0))).get(0);
  }

  @Test
  @DisplayName("Given a DaemonSet, then its pod carries controller-revision-hash and pod-template-generation; a template change replaces the pod under a second ControllerRevision")
  void daemonSetRevisions() throws Exception {
    // Given
    apply(daemonSet("agent:1"));
    final Pod first = awaitReadyPod("agent:1");
    final String hash1 = first.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(hash1).matches("[a-z0-9]{10}");
    assertThat(first.getMetadata().getLabels()).containsEntry("pod-template-generation", "1");
    assertThat(first.getMetadata().getName()).matches("agent-[a-z0-9]{5}");
    assertThat(client.apps().controllerRevisions().inNamespace("dsrev").withName("agent-" + hash1).get())
        .satisfies(r -> assertThat(r.getRevision()).isEqualTo(1L));
    // When
    apply(daemonSet("agent:2"));
    // Then
    final Pod second = awaitReadyPod("agent:2");
    final String hash2 = second.getMetadata().getLabels().get("controller-revision-hash");
    assertThat(hash2).isNotEqualTo(hash1);
    assertThat(second.getMetadata().getLabels()).containsEntry("pod-template-generation", "2");
    assertThat(client.apps().controllerRevisions().inNamespace("dsrev").withName("agent-" + hash2).get())
        .satisfies(r -> assertThat(r.getRevision()).isEqualTo(2L));
    final DaemonSet ds = client.apps().daemonSets().inNamespace("dsrev").withName("agent")
        .waitUntilCondition(d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus()
            .getUpdatedNumberScheduled()) && Long.valueOf(2).equals(d.getStatus().getObservedGeneration()), 30,
            TimeUnit.SECONDS);
    assertThat(ds.getStatus().getNumberReady()).isEqualTo(1);
  }

  @Test
  @DisplayName("Given a Job without a selector, when created, then the API server defaults the selector to its uid and labels the template; its pod carries the four labels")
  void jobSelectorAndLabels() throws Exception {
    // When
    final Job created = client.resource(job("jobs", "migrate", template("migrate", "m:1", Map.of()))).create();
    // Then: defaulted in the create answer already
    final String uid = created.getMetadata().getUid();
    assertThat(uid).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("batch.kubernetes.io/controller-uid", uid));
    final Map<String, String> expected = Map.of("app", "migrate", "batch.kubernetes.io/controller-uid", uid,
        "controller-uid", uid, "batch.kubernetes.io/job-name", "migrate", "job-name", "migrate");
    assertThat(created.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(expected);
    assertThat(client.batch().v1().jobs().inNamespace("jobs").withName("migrate").get().getSpec().getSelector()
        .getMatchLabels()).containsEntry("batch.kubernetes.io/controller-uid", uid);
    final Pod pod = client.pods().inNamespace("jobs").withLabel("batch.kubernetes.io/controller-uid", uid)
        .informOnCondition(l -> l.size() == 1).thenApply(l -> l.get(0)).get(30, TimeUnit.SECONDS);
    assertThat(pod.getMetadata().getLabels()).isEqualTo(expected);
    // When: a second Job of the same name after the first is gone
    client.batch().v1().jobs().inNamespace("jobs").withName("migrate").delete();
    client.batch().v1().jobs().inNamespace("jobs").withName("migrate").waitUntilCondition(j -> j == null, 30,
        TimeUnit.SECONDS);
    final Job again = client.resource(job("jobs", "migrate", template("migrate", "m:1", Map.of()))).create();
    // Then: its own uid, so its selector does not match the first one's pod
    assertThat(again.getMetadata().getUid()).isNotEqualTo(uid);
    assertThat(again.getSpec().getSelector().getMatchLabels())
        .containsEntry("batch.kubernetes.io/controller-uid", again.getMetadata().getUid());
  }

  @Test
  @DisplayName("Given a Job created twice under one name, then the second create answers 409 AlreadyExists")
  void jobAlreadyExists() {
    client.resource(job("jobs2", "once", template("once", "o:1", Map.of()))).create();
    final KubernetesClientException error = catchThrowableOfType(KubernetesClientException.class,
        () -> client.resource(job("jobs2", "once", template("once", "o:1", Map.of()))).create());
    assertThat(error.getCode()).isEqualTo(409);
    assertThat(error.getStatus().getReason()).isEqualTo("AlreadyExists");
  }
}
