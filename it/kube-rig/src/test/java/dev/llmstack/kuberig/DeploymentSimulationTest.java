package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.Workloads.deployment;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated kubelet: Deployments")
class DeploymentSimulationTest {

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

  static boolean rolledOut(Deployment d) {
    final DeploymentStatus s = d.getStatus();
    final int replicas = d.getSpec().getReplicas();
    return s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && n(s.getUpdatedReplicas()) == replicas && n(s.getReplicas()) == replicas
        && n(s.getAvailableReplicas()) == replicas;
  }

  static int n(Integer i) {
    return i == null ? 0 : i;
  }

  static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static List<Pod> pods(String ns, String app) {
    return client.pods().inNamespace(ns).withLabel("app", app).list().getItems();
  }

  @Test
  @DisplayName("Given a Deployment with 2 replicas, when applied, then 2 pods run and the status says rolled out")
  void becomesReady() {
    // Given
    final Instant before = Instant.now();
    client.resource(deployment("d1", "web", 2, template("web", "nginx:1", Map.of()))).fieldManager("t")
        .serverSideApply();
    // When
    final Deployment ready = client.apps().deployments().inNamespace("d1").withName("web")
        .waitUntilCondition(DeploymentSimulationTest::rolledOut, 10, TimeUnit.SECONDS);
    // Then
    final DeploymentStatus s = ready.getStatus();
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(s.getReplicas()).isEqualTo(2);
    assertThat(s.getUpdatedReplicas()).isEqualTo(2);
    assertThat(s.getReadyReplicas()).isEqualTo(2);
    assertThat(s.getAvailableReplicas()).isEqualTo(2);
    assertThat(s.getUnavailableReplicas()).isNull();
    assertThat(condition(ready, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    final List<Pod> pods = pods("d1", "web");
    assertThat(pods).hasSize(2).allSatisfy(p -> {
      final String hash = p.getMetadata().getLabels().get("pod-template-hash");
      assertThat(hash).hasSize(10);
      assertThat(p.getMetadata().getName()).matches("web-" + hash + "-[a-z0-9]{5}");
      assertThat(p.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(r -> assertThat(r.getKind() + "/" + r.getName() + "/" + r.getController())
              .isEqualTo("ReplicaSet/web-" + hash + "/true"));
      assertThat(p.getSpec().getNodeName()).isEqualTo("minikube");
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      assertThat(p.getStatus().getPodIP()).startsWith("10.244.0.");
      assertThat(p.getStatus().getContainerStatuses()).allSatisfy(c -> {
        assertThat(c.getReady()).isTrue();
        assertThat(c.getState().getRunning()).isNotNull();
      });
      assertThat(p.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
          .contains("PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True");
    });
    assertThat(rig.kubelet().markedReadyAt("d1", "web")).hasValueSatisfying(t -> assertThat(t).isAfter(before));
  }

  @Test
  @DisplayName("Given a rolled-out Deployment, when its template changes, then new-hash pods replace the old ones")
  void templateChangeRolls() {
    // Given
    client.resource(deployment("d2", "api", 2, template("api", "api:1", Map.of()))).fieldManager("t")
        .serverSideApply();
    client.apps().deployments().inNamespace("d2").withName("api")
        .waitUntilCondition(DeploymentSimulationTest::rolledOut, 10, TimeUnit.SECONDS);
    final String oldHash = pods("d2", "api").get(0).getMetadata().getLabels().get("pod-template-hash");
    // When
    final Deployment applied = client.resource(deployment("d2", "api", 2, template("api", "api:2", Map.of())))
        .fieldManager("t").serverSideApply();
    // Then
    assertThat(applied.getMetadata().getGeneration()).isEqualTo(2L);
    final Deployment rolled = client.apps().deployments().inNamespace("d2").withName("api")
        .waitUntilCondition(d -> rolledOut(d) && pods("d2", "api").size() == 2, 10, TimeUnit.SECONDS);
    assertThat(rolled.getStatus().getObservedGeneration()).isEqualTo(2L);
    final List<Pod> pods = pods("d2", "api");
    assertThat(pods).extracting(p -> p.getMetadata().getLabels().get("pod-template-hash"))
        .hasSize(2).doesNotContain(oldHash).containsOnly(pods.get(0).getMetadata().getLabels().get("pod-template-hash"));
    assertThat(pods).extracting(p -> p.getSpec().getContainers().get(0).getImage()).containsOnly("api:2");
  }

  @Test
  @DisplayName("Given a rolled-out Deployment, when it is deleted, then the garbage collector deletes its ReplicaSet and pods")
  void deletionRemovesPods() throws Exception {
    // Given
    client.resource(deployment("d3", "gone", 2, template("gone", "x:1", Map.of()))).fieldManager("t")
        .serverSideApply();
    client.apps().deployments().inNamespace("d3").withName("gone")
        .waitUntilCondition(DeploymentSimulationTest::rolledOut, 10, TimeUnit.SECONDS);
    assertThat(pods("d3", "gone")).hasSize(2);
    // When
    client.apps().deployments().inNamespace("d3").withName("gone").delete();
    // Then: in the background, after the Deployment
    Eventually.until("the pods of d3/gone deleted", () -> pods("d3", "gone"), List::isEmpty);
    assertThat(client.apps().replicaSets().inNamespace("d3").list().getItems()).isEmpty();
  }

  @Test
  @DisplayName("Given a Deployment whose pods never become ready, when the progress deadline passes, then Progressing=False ProgressDeadlineExceeded")
  void progressDeadline() {
    // Given
    final Deployment d = deployment("d4", "slow", 1, template("slow", "x:1",
        Map.of("rig.llmstack.dev/fail", "NeverReady")));
    d.getSpec().setProgressDeadlineSeconds(1);
    // When
    client.resource(d).fieldManager("t").serverSideApply();
    // Then
    final Deployment stuck = client.apps().deployments().inNamespace("d4").withName("slow")
        .waitUntilCondition(x -> x.getStatus() != null && x.getStatus().getConditions() != null
            && x.getStatus().getConditions().stream().anyMatch(c -> "Progressing".equals(c.getType())
                && "False".equals(c.getStatus())), 10, TimeUnit.SECONDS);
    assertThat(condition(stuck, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(condition(stuck, "Available").getStatus()).isEqualTo("False");
    assertThat(stuck.getStatus().getUnavailableReplicas()).isEqualTo(1);
    assertThat(rig.kubelet().markedReadyAt("d4", "slow")).isEmpty();
  }

  @Test
  @DisplayName("Given a ready pod of a Deployment, when replacePod is called, then a new pod takes its place")
  void replacePod() throws Exception {
    // Given
    client.resource(deployment("d5", "svc", 1, template("svc", "x:1", Map.of()))).fieldManager("t")
        .serverSideApply();
    client.apps().deployments().inNamespace("d5").withName("svc")
        .waitUntilCondition(DeploymentSimulationTest::rolledOut, 10, TimeUnit.SECONDS);
    final String old = pods("d5", "svc").get(0).getMetadata().getName();
    // When
    rig.kubelet().replacePod("d5", old);
    // Then
    client.pods().inNamespace("d5").withLabel("app", "svc").informOnCondition(l -> l.size() == 1
        && !l.get(0).getMetadata().getName().equals(old) && KubeletSimulator.isReady(l.get(0)))
        .get(10, TimeUnit.SECONDS);
    final List<String> names = client.pods().inNamespace("d5").withLabel("app", "svc").list().getItems().stream()
        .map(p -> p.getMetadata().getName()).collect(Collectors.toList());
    assertThat(names).hasSize(1).doesNotContain(old);
  }
}
