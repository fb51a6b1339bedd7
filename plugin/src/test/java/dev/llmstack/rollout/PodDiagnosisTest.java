package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.rollout.WorkloadState.Kind;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PodDiagnosisTest {

  private static final WorkloadState WAITING = WorkloadState.waiting("0 of 1 updated replicas available");

  private final Deployment litellm =
      new DeploymentBuilder().withNewMetadata().withName("litellm").withNamespace("llm").endMetadata().build();

  /** A fake cluster: events and log lines as the test sets them, and what was asked for. */
  static final class FakeLookups implements PodDiagnosis.Lookups {
    final List<Event> events = new ArrayList<>();
    final List<Node> nodes = new ArrayList<>();
    final List<Pod> bound = new ArrayList<>();

    @Override
    public List<Node> nodes() {
      return nodes;
    }

    @Override
    public List<Pod> podsOn(String node) {
      return bound.stream().filter(p -> node.equals(p.getSpec().getNodeName())).toList();
    }
    String logs = "";
    final List<String> logRequests = new ArrayList<>();

    @Override
    public List<Event> eventsFor(Pod pod) {
      return events;
    }

    @Override
    public String lastLogLines(Pod pod, String container) {
      logRequests.add(pod.getMetadata().getName() + "/" + container);
      return logs;
    }
  }

  private final FakeLookups lookups = new FakeLookups();

  private static Pod pod(List<PodCondition> conditions, List<ContainerStatus> init, List<ContainerStatus> containers) {
    return new PodBuilder()
        .withNewMetadata().withName("litellm-7d9f-abcde").withNamespace("llm").endMetadata()
        .withNewStatus()
        .withPhase("Pending")
        .withConditions(conditions)
        .withInitContainerStatuses(init)
        .withContainerStatuses(containers)
        .endStatus()
        .build();
  }

  private static PodCondition condition(String type, String status, String reason, String message) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }

  private static ContainerStatus waitingContainer(String name, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(name).withReady(false).withRestartCount(0)
        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
        .build();
  }

  private static ContainerStatus runningContainer(String name) {
    return new ContainerStatusBuilder()
        .withName(name).withReady(false).withRestartCount(0)
        .withNewState().withNewRunning().withStartedAt("2025-01-01T10:00:00Z").endRunning().endState()
        .build();
  }

  private static ContainerStatus terminatedContainer(String name) {
    return new ContainerStatusBuilder()
        .withName(name).withReady(false).withRestartCount(0)
        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated().endState()
        .build();
  }

  private static Event event(String reason, String message, String lastTimestamp) {
    return new EventBuilder()
        .withNewMetadata().withName("litellm-7d9f-abcde." + reason + lastTimestamp).endMetadata()
        .withReason(reason).withMessage(message).withType("Warning").withLastTimestamp(lastTimestamp)
        .build();
  }

  private WorkloadState refine(List<Pod> pods, boolean timedOut) {
    return PodDiagnosis.refine(litellm, WAITING, pods, lookups, timedOut);
  }

  @Test
  @DisplayName("ErrImageNeverPull fails at once, naming the container, with a fix about docker-env")
  void errImageNeverPull() {
    // Given a pod whose litellm container cannot get its image
    Pod pod = pod(List.of(condition("Ready", "False", "ContainersNotReady", null)), List.of(),
        List.of(waitingContainer("litellm", "ErrImageNeverPull",
            "Container image \"litellm:3b4c\" is not present with pull policy of Never")));

    // When diagnosed
    WorkloadState state = refine(List.of(pod), false);

    // Then it failed, naming the workload, the container and the reason, and the fix mentions docker-env
    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail())
        .contains("Deployment litellm")
        .contains("container 'litellm'")
        .contains("ErrImageNeverPull")
        .contains("is not present with pull policy of Never");
    assertThat(state.fix()).contains("docker-env").contains("-Dllmstack.target=tar");
  }

  @Test
  @DisplayName("ImagePullBackOff in an init container is an image problem too")
  void imagePullBackOffInInit() {
    Pod pod = pod(List.of(), List.of(waitingContainer("migrate", "ImagePullBackOff", null)), List.of(waitingContainer("litellm", "PodInitializing", null)));

    WorkloadState state = refine(List.of(pod), false);

    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail()).contains("container 'migrate'").contains("ImagePullBackOff").doesNotContain("(null)");
  }

  @Test
  @DisplayName("CrashLoopBackOff fails with the restart count, last exit code and the fake log lines")
  void crashLoop() {
    // Given a container crashing for the 5th time, whose log ends with two lines
    ContainerStatus crashing = new ContainerStatusBuilder(waitingContainer("litellm", "CrashLoopBackOff", "back-off 2m40s"))
        .withRestartCount(5)
        .withNewLastState().withNewTerminated().withExitCode(3).withReason("Error").endTerminated().endLastState()
        .build();
    Pod pod = pod(List.of(condition("Ready", "False", null, null)), List.of(), List.of(crashing));
    lookups.logs = "Loading config\nERROR: config.yaml: model_list is empty\n";

    // When diagnosed
    WorkloadState state = refine(List.of(pod), false);

    // Then it failed with everything needed to fix it, having asked for that container's logs
    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail())
        .contains("Deployment litellm")
        .contains("container 'litellm' keeps crashing")
        .contains("5 restarts")
        .contains("last exit code 3")
        .contains("Loading config | ERROR: config.yaml: model_list is empty");
    assertThat(state.fix()).contains("kubectl logs -n llm litellm-7d9f-abcde -c litellm --previous");
    assertThat(lookups.logRequests).containsExactly("litellm-7d9f-abcde/litellm");
  }

  @Test
  @DisplayName("CrashLoopBackOff without logs or last state still fails, without a log part")
  void crashLoopNoLogs() {
    ContainerStatus crashing = new ContainerStatusBuilder(waitingContainer("litellm", "CrashLoopBackOff", null)).withRestartCount(1).build();

    WorkloadState state = refine(List.of(pod(List.of(), List.of(), List.of(crashing))), false);

    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail()).contains("1 restarts").doesNotContain("exit code").doesNotContain("Last log lines");
  }

  @Test
  @DisplayName("Unschedulable fails with the FailedScheduling event's message")
  void unschedulable() {
    // Given an unschedulable pod and the scheduler's event
    Pod pod = pod(List.of(condition("PodScheduled", "False", "Unschedulable", "0/1 nodes are available.")), List.of(), List.of());
    lookups.events.add(event("FailedScheduling", "0/1 nodes are available: 1 Insufficient memory.", "2025-01-01T10:00:00Z"));

    // When diagnosed
    WorkloadState state = refine(List.of(pod), false);

    // Then it failed with the event's (more precise) message and a fix about minikube's resources
    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail()).isEqualTo("Deployment litellm cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.");
    assertThat(state.fix()).contains("minikube delete", "minikube start --cpus", "llmstack:check");
  }

  @Test
  @DisplayName("Unschedulable states the node's allocatable, what its pods request and what is free, against the pod's requests")
  void unschedulableWithTheNodesRoom() {
    // Given a pod asking for 12 GiB, and a node of 4 CPUs and 8 GiB running one pod of 1 CPU and 2 GiB (and a finished one)
    Pod pod = pod(List.of(condition("PodScheduled", "False", "Unschedulable", "0/1 nodes are available.")), List.of(), List.of());
    pod.setSpec(new PodSpecBuilder().addNewContainer().withName("ollama").withNewResources()
        .addToRequests("memory", new Quantity("12Gi")).endResources().endContainer().build());
    lookups.events.add(event("FailedScheduling", "0/1 nodes are available: 1 Insufficient memory.", "2025-01-01T10:00:00Z"));
    lookups.nodes.add(new NodeBuilder().withNewMetadata().withName("minikube").endMetadata().withNewStatus()
        .addToAllocatable("cpu", new Quantity("4")).addToAllocatable("memory", new Quantity("8Gi")).endStatus().build());
    lookups.bound.add(boundPod("redis-0", "Running", "1", "2Gi"));
    lookups.bound.add(boundPod("migrate-x", "Succeeded", "2", "4Gi"));

    // When diagnosed
    WorkloadState state = refine(List.of(pod), false);

    // Then the event's words come with the numbers behind them
    assertThat(state.detail()).isEqualTo("Deployment litellm cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory."
        + " Pod litellm-7d9f-abcde requests 0 CPUs and 12 GiB; node minikube has 4 CPUs and 8 GiB allocatable, of which"
        + " its 1 pod requests 1 CPU and 2 GiB (free: 3 CPUs and 6 GiB).");
  }

  private static Pod boundPod(String name, String phase, String cpu, String memory) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName("minikube").addNewContainer().withName("c").withNewResources()
        .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources().endContainer().endSpec()
        .withNewStatus().withPhase(phase).endStatus().build();
  }

  @Test
  @DisplayName("Unschedulable picks the latest FailedScheduling event, ignoring other reasons")
  void unschedulableLatestEvent() {
    Pod pod = pod(List.of(condition("PodScheduled", "False", "Unschedulable", "cond")), List.of(), List.of());
    lookups.events.add(event("FailedScheduling", "old: Insufficient cpu.", "2025-01-01T10:00:00Z"));
    lookups.events.add(event("FailedScheduling", "new: Insufficient memory.", "2025-01-01T10:05:00Z"));
    lookups.events.add(event("Scheduled", "not this", "2025-01-01T10:09:00Z"));
    lookups.events.add(event("FailedScheduling", "middle", "2025-01-01T10:02:00Z"));

    assertThat(refine(List.of(pod), false).detail()).endsWith("cannot be scheduled: new: Insufficient memory.");
  }

  @Test
  @DisplayName("Unschedulable without an event falls back to the condition's message")
  void unschedulableNoEvent() {
    Pod pod = pod(List.of(condition("PodScheduled", "False", "Unschedulable", "0/1 nodes are available: 1 node(s) had untolerated taint.")), List.of(), List.of());

    WorkloadState state = refine(List.of(pod), false);

    assertThat(state.kind()).isEqualTo(Kind.FAILED);
    assertThat(state.detail()).endsWith("cannot be scheduled: 0/1 nodes are available: 1 node(s) had untolerated taint.");
  }

  @Test
  @DisplayName("an init container still running is named in the waiting state")
  void initContainerRunning() {
    // Given a pod waiting for postgres in its init container
    Pod pod = pod(List.of(condition("Ready", "False", null, null)),
        List.of(runningContainer("wait-for-postgres")),
        List.of(waitingContainer("litellm", "PodInitializing", null)));

    // Then the state says what it waits for
    assertThat(refine(List.of(pod), false)).isEqualTo(WorkloadState.waiting("init container wait-for-postgres"));
  }

  @Test
  @DisplayName("the first unfinished init container is named, finished ones are skipped")
  void secondInitContainer() {
    Pod pod = pod(List.of(), List.of(terminatedContainer("chmod"), runningContainer("wait-for-postgres")), List.of());

    assertThat(refine(List.of(pod), false).detail()).isEqualTo("init container wait-for-postgres");
  }

  @Test
  @DisplayName("no pods yet is waiting, keeping the workload's own detail")
  void noPods() {
    WorkloadState state = refine(List.of(), false);

    assertThat(state.kind()).isEqualTo(Kind.WAITING);
    assertThat(state.detail()).startsWith("no pods yet").contains(WAITING.detail());
  }

  @Test
  @DisplayName("after the timeout, an Unhealthy event becomes 'readiness probe failing: ...'")
  void readinessProbeOnTimeout() {
    // Given a running but unready pod with a failing probe
    Pod pod = pod(List.of(condition("Ready", "False", "ContainersNotReady", null)), List.of(), List.of(runningContainer("litellm")));
    lookups.events.add(event("Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "2025-01-01T10:00:00Z"));

    // When diagnosed at the timeout
    WorkloadState state = refine(List.of(pod), true);

    // Then the probe is named
    assertThat(state).isEqualTo(WorkloadState.waiting("readiness probe failing: Readiness probe failed: HTTP probe failed with statuscode: 503"));
  }

  @Test
  @DisplayName("before the timeout, a failing probe is not reported (it may still become ready)")
  void readinessProbeBeforeTimeout() {
    Pod pod = pod(List.of(condition("Ready", "False", null, null)), List.of(), List.of(runningContainer("litellm")));
    lookups.events.add(event("Unhealthy", "Readiness probe failed", "2025-01-01T10:00:00Z"));

    assertThat(refine(List.of(pod), false)).isSameAs(WAITING);
  }

  @Test
  @DisplayName("after the timeout without events, the unready pod is named")
  void unreadyPodOnTimeout() {
    Pod pod = pod(List.of(condition("Ready", "False", null, null)), List.of(), List.of(runningContainer("litellm")));

    assertThat(refine(List.of(pod), true).detail()).isEqualTo("pod litellm-7d9f-abcde not ready (" + WAITING.detail() + ")");
  }

  @Test
  @DisplayName("ready pods are not diagnosed: a crash loop in a ready pod does not fail the workload")
  void readyPodsIgnored() {
    Pod ready = pod(List.of(condition("Ready", "True", null, null)), List.of(),
        List.of(waitingContainer("litellm", "CrashLoopBackOff", null)));

    assertThat(refine(List.of(ready), true)).isSameAs(WAITING);
  }

  @Test
  @DisplayName("states that are not WAITING pass through untouched")
  void nonWaitingPassThrough() {
    Pod broken = pod(List.of(), List.of(), List.of(waitingContainer("litellm", "ErrImageNeverPull", null)));
    WorkloadState ready = WorkloadState.ready();
    WorkloadState failed = WorkloadState.failed("x", "y");

    assertThat(PodDiagnosis.refine(litellm, ready, List.of(broken), lookups, true)).isSameAs(ready);
    assertThat(PodDiagnosis.refine(litellm, failed, List.of(broken), lookups, true)).isSameAs(failed);
  }
}
