package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.llmstack.kuberig.Workloads.deployment;
import static dev.llmstack.kuberig.Workloads.pod;
import static dev.llmstack.kuberig.Workloads.statefulSet;
import static dev.llmstack.kuberig.Workloads.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Simulated kubelet: pod lifecycle, failure annotations, init order, log subresource")
class PodLifecycleTest {

  private static final String FAIL = KubeletSimulator.FAIL_ANNOTATION;
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

  private static Pod await(String ns, String name, Predicate<Pod> condition) {
    return client.pods().inNamespace(ns).withName(name)
        .waitUntilCondition(p -> p != null && p.getStatus() != null && condition.test(p), 10, TimeUnit.SECONDS);
  }

  private static PodCondition condition(Pod p, String type) {
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static Event awaitEvent(String ns, String pod, String reason) {
    final List<Event> found = client.v1().events().inNamespace(ns).informOnCondition(events -> events.stream()
        .anyMatch(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())))
        .join();
    return found.stream().filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .findFirst().orElseThrow();
  }

  private static ContainerStatus main(Pod p) {
    return p.getStatus().getContainerStatuses().get(0);
  }

  @Test
  @DisplayName("The kubelet registered its Node: minikube, 4 CPUs and 8Gi allocatable (= capacity), minikube's labels, Ready")
  void nodeRegistered() {
    final io.fabric8.kubernetes.api.model.Node node = client.nodes().withName("minikube").get();

    assertThat(node).isNotNull();
    assertThat(node.getMetadata().getLabels()).containsEntry("minikube.k8s.io/name", "minikube")
        .containsEntry("kubernetes.io/hostname", "minikube");
    assertThat(node.getStatus().getAllocatable()).containsEntry("cpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
        .containsEntry("memory", new io.fabric8.kubernetes.api.model.Quantity("8Gi"));
    assertThat(node.getStatus().getCapacity()).isEqualTo(node.getStatus().getAllocatable());
    assertThat(node.getStatus().getConditions()).anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  @DisplayName("Given fail=ErrImageNeverPull, then the pod is Pending with the kubelet's waiting reason and message")
  void errImageNeverPull() {
    // When
    client.resource(pod("f1", "never", Map.of(FAIL, "ErrImageNeverPull"))).create();
    // Then
    final Pod p = await("f1", "never", x -> !x.getStatus().getContainerStatuses().isEmpty());
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(main(p).getState().getWaiting().getReason()).isEqualTo("ErrImageNeverPull");
    assertThat(main(p).getState().getWaiting().getMessage())
        .isEqualTo("Container image \"llmstack/never:dev\" is not present with pull policy of Never");
    assertThat(main(p).getReady()).isFalse();
    assertThat(awaitEvent("f1", "never", "ErrImageNeverPull").getType()).isEqualTo("Warning");
  }

  @Test
  @DisplayName("Given fail=ImagePullBackOff, then the container waits with ImagePullBackOff")
  void imagePullBackOff() {
    client.resource(pod("f2", "pull", Map.of(FAIL, "ImagePullBackOff"))).create();
    final Pod p = await("f2", "pull", x -> x.getStatus().getContainerStatuses() != null
        && !x.getStatus().getContainerStatuses().isEmpty());
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(main(p).getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
    assertThat(main(p).getState().getWaiting().getMessage()).isEqualTo("Back-off pulling image \"llmstack/pull:dev\"");
  }

  @Test
  @DisplayName("Given a Deployment with fail=CrashLoopBackOff, then its pod runs but restarts, not ready, last exit 1")
  void crashLoop() {
    client.resource(deployment("f3", "crash", 1, template("crash", "crash:1", Map.of(FAIL, "CrashLoopBackOff"))))
        .fieldManager("t").serverSideApply();
    final Pod p = client.pods().inNamespace("f3").withLabel("app", "crash").informOnCondition(l -> l.size() == 1
        && l.get(0).getStatus().getContainerStatuses() != null && !l.get(0).getStatus().getContainerStatuses().isEmpty())
        .join().get(0);
    final String name = p.getMetadata().getName();
    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    assertThat(main(p).getReady()).isFalse();
    assertThat(main(p).getRestartCount()).isEqualTo(3);
    assertThat(main(p).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(main(p).getState().getWaiting().getMessage())
        .startsWith("back-off 40s restarting failed container=crash pod=" + name);
    assertThat(main(p).getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(main(p).getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
    final Deployment d = client.apps().deployments().inNamespace("f3").withName("crash").waitUntilCondition(
        x -> x.getStatus() != null && x.getStatus().getUnavailableReplicas() != null, 10, TimeUnit.SECONDS);
    assertThat(d.getStatus().getAvailableReplicas()).isNull();
  }

  @Test
  @DisplayName("Given fail=Unschedulable, then PodScheduled=False, no node, and a FailedScheduling event")
  void unschedulable() {
    client.resource(pod("f4", "big", Map.of(FAIL, "Unschedulable"))).create();
    final Pod p = await("f4", "big", x -> condition(x, "PodScheduled") != null);
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getSpec().getNodeName()).isNull();
    assertThat(condition(p, "PodScheduled").getStatus()).isEqualTo("False");
    assertThat(condition(p, "PodScheduled").getReason()).isEqualTo("Unschedulable");
    assertThat(condition(p, "PodScheduled").getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient memory.");
    final Event e = awaitEvent("f4", "big", "FailedScheduling");
    assertThat(e.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient memory.");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
    assertThat(e.getInvolvedObject().getUid()).isEqualTo(p.getMetadata().getUid());
    assertThat(e.getCount()).isEqualTo(1);
    assertThat(e.getFirstTimestamp()).isNotBlank();
  }

  @Test
  @DisplayName("Given fail=NeverReady, then the pod runs, Ready=False ContainersNotReady, with an Unhealthy event")
  void neverReady() {
    client.resource(pod("f5", "sick", Map.of(FAIL, "NeverReady"))).create();
    final Pod p = await("f5", "sick", x -> "Running".equals(x.getStatus().getPhase()));
    assertThat(main(p).getState().getRunning()).isNotNull();
    assertThat(main(p).getReady()).isFalse();
    assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(p, "Ready").getReason()).isEqualTo("ContainersNotReady");
    assertThat(awaitEvent("f5", "sick", "Unhealthy").getMessage())
        .isEqualTo("Readiness probe failed: HTTP probe failed with statuscode: 503");
  }

  @Test
  @DisplayName("Given a bare pod with ready-after-seconds=1, then it runs unready first and is ready about a second later")
  void readyAfterSeconds() {
    final long start = System.nanoTime();
    client.resource(pod("f6", "late", Map.of(KubeletSimulator.READY_AFTER_ANNOTATION, "1"))).create();
    final Pod running = await("f6", "late", x -> "Running".equals(x.getStatus().getPhase()));
    assertThat(KubeletSimulator.isReady(running)).isFalse();
    await("f6", "late", KubeletSimulator::isReady);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900);
    assertThat(rig.kubelet().markedReadyAt("f6", "late")).isPresent();
  }

  @Test
  @DisplayName("Given dev-r2r waits for postgres, then it stays Pending/Initialized=False until dev-postgres is ready")
  void waitForInitOrder() {
    // Given
    client.resource(deployment("init", "dev-r2r", 1, template("dev-r2r", "r2r:1", Map.of(), "wait-for-postgres",
        "migrate"))).fieldManager("t").serverSideApply();
    final Pod waiting = client.pods().inNamespace("init").withLabel("app", "dev-r2r").informOnCondition(l ->
        l.size() == 1 && l.get(0).getStatus() != null && !l.get(0).getStatus().getInitContainerStatuses().isEmpty())
        .join().get(0);
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(condition(waiting, "Initialized").getStatus()).isEqualTo("False");
    assertThat(condition(waiting, "Initialized").getReason()).isEqualTo("ContainersNotInitialized");
    assertThat(waiting.getStatus().getInitContainerStatuses().get(0).getState().getRunning()).isNotNull();
    assertThat(waiting.getStatus().getInitContainerStatuses().get(1).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(main(waiting).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    // When
    client.resource(statefulSet("init", "dev-postgres", 1, template("dev-postgres", "pg:16",
        Map.of(KubeletSimulator.READY_AFTER_ANNOTATION, "1")))).fieldManager("t").serverSideApply();
    // Then: still waiting while postgres is not ready
    final Pod pg = client.pods().inNamespace("init").withName("dev-postgres-0")
        .waitUntilCondition(p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
            10, TimeUnit.SECONDS);
    assertThat(KubeletSimulator.isReady(pg)).isFalse();
    final String r2r = waiting.getMetadata().getName();
    assertThat(client.pods().inNamespace("init").withName(r2r).get().getStatus().getPhase()).isEqualTo("Pending");
    final Pod ready = await("init", r2r, KubeletSimulator::isReady);
    assertThat(condition(ready, "Initialized").getStatus()).isEqualTo("True");
    assertThat(ready.getStatus().getInitContainerStatuses()).allSatisfy(c ->
        assertThat(c.getState().getTerminated().getReason()).isEqualTo("Completed"));
    client.apps().deployments().inNamespace("init").withName("dev-r2r")
        .waitUntilCondition(DeploymentSimulationTest::rolledOut, 10, TimeUnit.SECONDS);
    assertThat(rig.kubelet().markedReadyAt("init", "dev-r2r").orElseThrow())
        .isAfterOrEqualTo(rig.kubelet().markedReadyAt("init", "dev-postgres").orElseThrow());
  }

  @Test
  @DisplayName("Given a pod with a log annotation, when its log is read, then the lines come back; tailLines trims")
  void logSubresource() {
    client.resource(pod("logs", "talker", Map.of(KubeletSimulator.LOG_ANNOTATION, "one\ntwo\nthree"))).create();
    client.resource(pod("logs", "quiet", Map.of())).create();
    assertThat(client.pods().inNamespace("logs").withName("talker").getLog()).isEqualTo("one\ntwo\nthree\n");
    assertThat(client.pods().inNamespace("logs").withName("talker").tailingLines(2).getLog()).isEqualTo("two\nthree\n");
    assertThat(client.pods().inNamespace("logs").withName("talker").inContainer("main").getLog()).contains("one");
    assertThat(client.pods().inNamespace("logs").withName("quiet").getLog()).isEqualTo("started quiet\n");
    assertThatThrownBy(() -> client.pods().inNamespace("logs").withName("nobody").getLog())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  @DisplayName("Given a simulated pod, when exec is requested, then 400 Status (it has no containers); portforward without a WebSocket upgrade, then 400 Status; never the mock's 200 List")
  void unsupportedSubresources() throws Exception {
    client.resource(pod("pf", "target", Map.of())).create();
    final HttpResponse<String> pf = Http.send("GET", rig.url() + "/api/v1/namespaces/pf/pods/target/portforward?ports=8080",
        null, null);
    final HttpResponse<String> exec = Http.send("POST", rig.url() + "/api/v1/namespaces/pf/pods/target/exec?command=ls",
        null, null);
    assertThat(pf.statusCode()).isEqualTo(400);
    assertThat(pf.body()).contains("\"kind\":\"Status\"").contains("Upgrade request required");
    assertThat(exec.statusCode()).isEqualTo(400);
    assertThat(exec.body()).contains("\"kind\":\"Status\"").contains("pod pf/target is simulated (no containers)");
  }
}
