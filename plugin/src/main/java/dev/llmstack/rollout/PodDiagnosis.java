package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at the pods of a workload that is not ready and says why: a state that waiting cannot fix
 * (image missing, crash loop, unschedulable) fails at once with a diagnosis; anything else is named
 * in the progress line (an init container waiting on a dependency is normal).
 */
final class PodDiagnosis {

  /** What the diagnosis needs from the cluster beyond the pods themselves. */
  interface Lookups {
    List<Event> eventsFor(Pod pod);

    String lastLogLines(Pod pod, String container);

    /** The cluster's nodes; empty when they cannot be read (a user without access to nodes). */
    default List<Node> nodes() {
      return List.of();
    }

    /** The pods bound to that node, in any namespace; empty when they cannot be read. */
    default List<Pod> podsOn(String node) {
      return List.of();
    }
  }

  private static final Set<String> IMAGE_PROBLEMS =
      Set.of("ErrImageNeverPull", "ImagePullBackOff", "ErrImagePull", "InvalidImageName");

  private PodDiagnosis() {}

  static WorkloadState refine(HasMetadata workload, WorkloadState state, List<Pod> pods, Lookups lookups, boolean timedOut) {
    if (!state.kind().equals(WorkloadState.Kind.WAITING)) {
      return state;
    }
    String what = workload.getKind() + " " + workload.getMetadata().getName();
    String ns = workload.getMetadata().getNamespace();
    List<Pod> notReady = pods.stream().filter(p -> !RolloutRules.isPodReady(p)).toList();
    for (Pod pod : notReady) {
      for (ContainerStatus c : statuses(pod)) {
        ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
        if (waiting == null || waiting.getReason() == null) {
          continue;
        }
        if (IMAGE_PROBLEMS.contains(waiting.getReason())) {
          return WorkloadState.failed(
              what + " cannot start container '" + c.getName() + "' of pod " + pod.getMetadata().getName() + ": " + waiting.getReason()
                  + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")") + ".",
              "The image is not in the cluster's container runtime: check that llmstack:build used minikube's"
                  + " docker-env (its log says where it built into), or build with -Dllmstack.target=tar so that"
                  + " minikube image load puts it there.");
        }
        if ("CrashLoopBackOff".equals(waiting.getReason())) {
          String logs = lookups.lastLogLines(pod, c.getName());
          Integer exit = c.getLastState() != null && c.getLastState().getTerminated() != null
              ? c.getLastState().getTerminated().getExitCode() : null;
          return WorkloadState.failed(
              what + ": container '" + c.getName() + "' keeps crashing (CrashLoopBackOff, " + c.getRestartCount()
                  + " restarts" + (exit == null ? "" : ", last exit code " + exit) + ")."
                  + (logs.isBlank() ? "" : " Last log lines: " + String.join(" | ", logs.strip().lines().toList()) + "."),
              "Fix the container's configuration; kubectl logs -n " + ns + " " + pod.getMetadata().getName()
                  + " -c " + c.getName() + " --previous shows its output.");
        }
      }
      Optional<PodCondition> unscheduled = condition(pod, "PodScheduled")
          .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()));
      if (unscheduled.isPresent()) {
        String message = latest(lookups.eventsFor(pod), "FailedScheduling").orElse(unscheduled.get().getMessage());
        String room = SchedulingRoom.describe(pod, lookups.nodes(), lookups::podsOn);
        return WorkloadState.failed(
            what + " cannot be scheduled: " + message + (room.isEmpty() ? "" : " " + room),
            "Lower the requests in the overlay, or give the cluster more room: minikube cannot resize a profile, so"
                + " recreate it larger (minikube delete, then minikube start --cpus <n> --memory <m>; llmstack:check"
                + " says how much the overlay needs).");
      }
    }
    for (Pod pod : notReady) {
      Set<String> sidecars = sidecars(pod);
      for (ContainerStatus init : nonNull(pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses())) {
        if (!sidecars.contains(init.getName()) && init.getState() != null && init.getState().getTerminated() == null) {
          return WorkloadState.waiting("init container " + init.getName());
        }
      }
    }
    if (pods.isEmpty()) {
      return WorkloadState.waiting("no pods yet (" + state.detail() + ")");
    }
    if (timedOut && !notReady.isEmpty()) {
      Optional<String> probe = latest(lookups.eventsFor(notReady.get(0)), "Unhealthy");
      if (probe.isPresent()) {
        return WorkloadState.waiting("readiness probe failing: " + probe.get());
      }
      return WorkloadState.waiting("pod " + notReady.get(0).getMetadata().getName() + " not ready (" + state.detail() + ")");
    }
    return state;
  }

  /** Native sidecars (init containers with restartPolicy Always) run for the pod's whole life. */
  private static Set<String> sidecars(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getInitContainers() == null) {
      return Set.of();
    }
    return pod.getSpec().getInitContainers().stream()
        .filter(c -> "Always".equals(c.getRestartPolicy()))
        .map(io.fabric8.kubernetes.api.model.Container::getName)
        .collect(java.util.stream.Collectors.toSet());
  }

  private static List<ContainerStatus> statuses(Pod pod) {
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus() != null) {
      all.addAll(nonNull(pod.getStatus().getInitContainerStatuses()));
      all.addAll(nonNull(pod.getStatus().getContainerStatuses()));
    }
    return all;
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    return pod.getStatus() == null
        ? Optional.empty()
        : nonNull(pod.getStatus().getConditions()).stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Optional<String> latest(List<Event> events, String reason) {
    return events.stream()
        .filter(e -> reason.equals(e.getReason()))
        .max(Comparator.comparing(PodDiagnosis::when))
        .map(Event::getMessage);
  }

  /**
   * When an event last happened: core/v1 writers fill lastTimestamp, events.k8s.io writers (the
   * scheduler) eventTime or series. All are RFC 3339 in UTC, so they compare as text; none = oldest.
   */
  private static String when(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getSeries() != null && e.getSeries().getLastObservedTime() != null && e.getSeries().getLastObservedTime().getTime() != null) {
      return e.getSeries().getLastObservedTime().getTime();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getFirstTimestamp() == null ? "" : e.getFirstTimestamp();
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
