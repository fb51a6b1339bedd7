package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostIPBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.ClusterState.annotation;
import static dev.llmstack.kuberig.ClusterState.count;
import static dev.llmstack.kuberig.ClusterState.replicas;

/**
 * The kubelet of the rig's one node, simulated: writes each live pod's status (phase, conditions, container
 * statuses, IPs) and its Events. Init containers run in order ({@code wait-for-<X>} waits until the workload X is
 * ready by its status); a pod becomes Running and Ready, or stays in the failure its {@code rig.llmstack.dev/fail}
 * annotation names; a Job's pod succeeds (or fails) instead of becoming ready; docker-backed pods follow their real
 * containers ({@link DockerPods}). No probes, no restarts, no resource accounting.
 */
final class Kubelet {

  static final String HOST_IP = "192.168.49.2";

  private final ClusterWriter writer;
  private final DockerPods docker;
  private final Consumer<Instant> wakeAt;
  private final Map<String, Instant> runningSince = new ConcurrentHashMap<>();
  private final AtomicInteger ipCounter = new AtomicInteger();

  Kubelet(ClusterWriter writer, DockerPods docker, Consumer<Instant> wakeAt) {
    this.writer = writer;
    this.docker = docker;
    this.wakeAt = wakeAt;
  }

  /** Forgets what it kept of pods that are gone. */
  void retain(Set<String> liveUids) {
    runningSince.keySet().retainAll(liveUids);
  }

  /** Readiness of workloads by their status, for {@code wait-for-<X>} init containers. */
  static final class Readiness {
    private final List<Deployment> deployments;
    private final List<StatefulSet> statefulSets;
    private final List<DaemonSet> daemonSets;

    Readiness(List<Deployment> deployments, List<StatefulSet> statefulSets, List<DaemonSet> daemonSets) {
      this.deployments = deployments;
      this.statefulSets = statefulSets;
      this.daemonSets = daemonSets;
    }

    boolean ready(String namespace, String x) {
      final Predicate<HasMetadata> matches = o -> namespace.equals(o.getMetadata().getNamespace())
          && (o.getMetadata().getName().equals(x) || o.getMetadata().getName().endsWith("-" + x));
      return deployments.stream().filter(matches).anyMatch(d -> d.getStatus() != null
          && count(d.getStatus().getAvailableReplicas()) >= replicas(d.getSpec().getReplicas())
          && Optional.ofNullable(d.getStatus().getObservedGeneration()).orElse(0L)
              >= Optional.ofNullable(d.getMetadata().getGeneration()).orElse(0L))
          || statefulSets.stream().filter(matches).anyMatch(s -> s.getStatus() != null
              && count(s.getStatus().getReadyReplicas()) >= replicas(s.getSpec().getReplicas()))
          || daemonSets.stream().filter(matches).anyMatch(d -> d.getStatus() != null
              && count(d.getStatus().getNumberReady()) >= 1);
    }
  }

  boolean podStatus(Pod pod, Readiness readiness, Instant now) {
    final PodStatus old = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
    if ("Succeeded".equals(old.getPhase()) || "Failed".equals(old.getPhase())) {
      return false;
    }
    final String ns = pod.getMetadata().getNamespace();
    final String name = pod.getMetadata().getName();
    final String uid = pod.getMetadata().getUid();
    final boolean dockerBacked = DockerPods.isDockerBacked(pod);
    final String fail = dockerBacked ? null : annotation(pod, KubeletSimulator.FAIL_ANNOTATION);
    final boolean jobPod = ClusterState.controllerOf(pod).map(r -> "Job".equals(r.getKind())).orElse(false);
    final List<Container> inits = Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of());
    final List<Container> mains = Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of());

    final PodStatus s = new PodStatus();
    s.setQosClass(old.getQosClass() != null ? old.getQosClass() : "BestEffort");
    final List<PodCondition> conditions = new ArrayList<>();
    if ("Unschedulable".equals(fail)) {
      final String message = "0/1 nodes are available: 1 Insufficient memory.";
      s.setPhase("Pending");
      conditions.add(podCondition(old, "PodScheduled", "False", "Unschedulable", message, now));
      s.setConditions(conditions);
      writer.event(pod, "Warning", "FailedScheduling", message, "default-scheduler");
      return writer.writeStatus(pod, old, s, false, () -> pod.setStatus(s));
    }
    writer.event(pod, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + ClusterWriter.NODE, "default-scheduler");
    s.setHostIP(HOST_IP);
    s.setHostIPs(List.of(new HostIPBuilder().withIp(HOST_IP).build()));
    s.setPodIP(old.getPodIP() != null ? old.getPodIP() : "10.244.0." + (2 + ipCounter.getAndIncrement() % 250));
    s.setPodIPs(List.of(new PodIPBuilder().withIp(s.getPodIP()).build()));
    s.setStartTime(old.getStartTime() != null ? old.getStartTime() : ClusterWriter.timestamp(now));
    conditions.add(podCondition(old, "PodScheduled", "True", null, null, now));

    // init containers, in order
    int blockedAt = -1;
    for (int i = 0; i < inits.size(); i++) {
      final String n = inits.get(i).getName();
      if (n.startsWith("wait-for-") && !readiness.ready(ns, n.substring("wait-for-".length()))) {
        blockedAt = i;
        break;
      }
    }
    final List<ContainerStatus> initStatuses = new ArrayList<>();
    for (int i = 0; i < inits.size(); i++) {
      final Container c = inits.get(i);
      if (blockedAt < 0 || i < blockedAt) {
        initStatuses.add(containerStatus(c, old.getInitContainerStatuses(), false, false,
            new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                .withStartedAt(s.getStartTime()).withFinishedAt(s.getStartTime()).endTerminated().build(), 0));
      } else if (i == blockedAt) {
        initStatuses.add(containerStatus(c, old.getInitContainerStatuses(), false, true,
            running(s.getStartTime()), 0));
      } else {
        initStatuses.add(containerStatus(c, old.getInitContainerStatuses(), false, false,
            waiting("PodInitializing", null), 0));
      }
    }
    s.setInitContainerStatuses(initStatuses.isEmpty() ? null : initStatuses);
    final String mainNames = mains.stream().map(Container::getName).collect(Collectors.joining(" "));
    if (blockedAt >= 0) {
      s.setPhase("Pending");
      final String incomplete = inits.subList(blockedAt, inits.size()).stream().map(Container::getName)
          .collect(Collectors.joining(" "));
      conditions.add(podCondition(old, "Initialized", "False", "ContainersNotInitialized",
          "containers with incomplete status: [" + incomplete + "]", now));
      conditions.add(podCondition(old, "Ready", "False", "ContainersNotReady",
          "containers with unready status: [" + mainNames + "]", now));
      conditions.add(podCondition(old, "ContainersReady", "False", "ContainersNotReady",
          "containers with unready status: [" + mainNames + "]", now));
      s.setContainerStatuses(mains.stream().map(c -> containerStatus(c, old.getContainerStatuses(), false, false,
          waiting("PodInitializing", null), 0)).collect(Collectors.toList()));
      s.setConditions(conditions);
      return writer.writeStatus(pod, old, s, false, () -> pod.setStatus(s));
    }
    conditions.add(podCondition(old, "Initialized", "True", null, null, now));
    if (dockerBacked) {
      return dockerPodStatus(pod, old, s, conditions, mains, mainNames, now);
    }

    final Instant since = runningSince.computeIfAbsent(uid, k -> now);
    final String sinceTs = ClusterWriter.timestamp(since);
    final List<ContainerStatus> statuses = new ArrayList<>();
    boolean ready = false;
    if ("ErrImageNeverPull".equals(fail) || "ImagePullBackOff".equals(fail)) {
      s.setPhase("Pending");
      for (Container c : mains) {
        final String message = "ErrImageNeverPull".equals(fail)
            ? "Container image \"" + c.getImage() + "\" is not present with pull policy of Never"
            : "Back-off pulling image \"" + c.getImage() + "\"";
        statuses.add(containerStatus(c, old.getContainerStatuses(), false, false, waiting(fail, message), 0));
        writer.event(pod, "Warning", "ErrImageNeverPull".equals(fail) ? "ErrImageNeverPull" : "BackOff", message, "kubelet");
      }
    } else if ("CrashLoopBackOff".equals(fail)) {
      if (jobPod) {
        s.setPhase("Failed");
        for (Container c : mains) {
          statuses.add(containerStatus(c, old.getContainerStatuses(), false, false,
              new ContainerStateBuilder().withNewTerminated().withExitCode(1).withReason("Error")
                  .withStartedAt(sinceTs).withFinishedAt(ClusterWriter.timestamp(now)).endTerminated().build(), 0));
        }
      } else {
        s.setPhase("Running");
        for (Container c : mains) {
          final ContainerStatus cs = containerStatus(c, old.getContainerStatuses(), false, false,
              waiting("CrashLoopBackOff", "back-off 40s restarting failed container=" + c.getName() + " pod=" + name
                  + "_" + ns + "(" + uid + ")"),
              3);
          cs.setLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(1).withReason("Error")
              .withStartedAt(sinceTs).withFinishedAt(sinceTs).endTerminated().build());
          statuses.add(cs);
          writer.event(pod, "Warning", "BackOff", "Back-off restarting failed container " + c.getName() + " in pod " + name
              + "_" + ns + "(" + uid + ")", "kubelet");
        }
      }
    } else if ("NeverReady".equals(fail)) {
      s.setPhase("Running");
      for (Container c : mains) {
        statuses.add(containerStatus(c, old.getContainerStatuses(), false, true, running(sinceTs), 0));
      }
      writer.event(pod, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "kubelet");
    } else {
      final Instant readyAt = since.plusSeconds(readyAfterSeconds(pod));
      ready = !now.isBefore(readyAt);
      if (!ready) {
        wakeAt.accept(readyAt);
      }
      if (ready && jobPod) {
        s.setPhase("Succeeded");
        for (Container c : mains) {
          statuses.add(containerStatus(c, old.getContainerStatuses(), false, false,
              new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                  .withStartedAt(sinceTs).withFinishedAt(ClusterWriter.timestamp(now)).endTerminated().build(), 0));
        }
        conditions.add(podCondition(old, "Ready", "False", "PodCompleted", "", now));
        conditions.add(podCondition(old, "ContainersReady", "False", "PodCompleted", "", now));
        s.setContainerStatuses(statuses);
        s.setConditions(conditions);
        return writer.writeStatus(pod, old, s, false, () -> pod.setStatus(s));
      }
      s.setPhase("Running");
      for (Container c : mains) {
        statuses.add(containerStatus(c, old.getContainerStatuses(), ready, true, running(sinceTs), 0));
      }
      writer.event(pod, "Normal", "Started", "Started container " + mains.stream().map(Container::getName)
          .findFirst().orElse(""), "kubelet");
    }
    s.setContainerStatuses(statuses);
    conditions.addAll(readiness(old, ready, mainNames, now));
    s.setConditions(conditions);
    final boolean bare = ClusterState.controllerOf(pod).isEmpty();
    return writer.writeStatus(pod, old, s, bare && ready, () -> pod.setStatus(s));
  }

  /**
   * A docker-backed pod's main containers as docker has them: running, exited (terminated with the exit code), or
   * waiting (being created, {@code docker run} failed, no docker host). Ready once all run; a pod that does not restart
   * its containers (restartPolicy Never/OnFailure, e.g. a Job's) succeeds or fails once all have exited.
   */
  private boolean dockerPodStatus(Pod pod, PodStatus old, PodStatus s, List<PodCondition> conditions,
      List<Container> mains, String mainNames, Instant now) {
    final Map<String, DockerPods.ContainerState> states = docker.ensure(pod);
    final List<ContainerStatus> statuses = new ArrayList<>();
    boolean allRunning = !mains.isEmpty();
    boolean allExited = !mains.isEmpty();
    boolean anyStarted = false;
    boolean anyFailed = false;
    for (Container c : mains) {
      final DockerPods.ContainerState st = states.getOrDefault(c.getName(),
          DockerPods.ContainerState.of(DockerPods.Phase.CREATING, "ContainerCreating", null));
      final ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
          .withImageID(c.getImage() == null ? "" : "docker-pullable://" + c.getImage()).withContainerID(st.id)
          .withRestartCount(0);
      switch (st.phase) {
        case RUNNING:
          anyStarted = true;
          allExited = false;
          statuses.add(b.withReady(true).withStarted(true).withState(running(st.startedAt)).build());
          writer.event(pod, "Normal", "Started", "Started container " + c.getName(), "kubelet");
          break;
        case EXITED:
          anyStarted = true;
          allRunning = false;
          anyFailed |= st.exitCode != 0;
          statuses.add(b.withReady(false).withStarted(false).withState(new ContainerStateBuilder().withNewTerminated()
              .withExitCode(st.exitCode).withReason(st.reason).withMessage(st.message).withStartedAt(st.startedAt)
              .withFinishedAt(st.finishedAt).withContainerID(st.id).endTerminated().build()).build());
          break;
        default:
          allRunning = false;
          allExited = false;
          statuses.add(b.withReady(false).withStarted(false).withState(waiting(st.reason, st.message)).build());
          if (st.phase != DockerPods.Phase.CREATING) {
            writer.event(pod, "Warning", st.reason, st.message, "kubelet");
          }
      }
    }
    s.setContainerStatuses(statuses);
    final String restartPolicy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
    if (allExited && !"Always".equals(restartPolicy)) {
      s.setPhase(anyFailed ? "Failed" : "Succeeded");
      final String reason = anyFailed ? "PodFailed" : "PodCompleted";
      conditions.add(podCondition(old, "Ready", "False", reason, "", now));
      conditions.add(podCondition(old, "ContainersReady", "False", reason, "", now));
      s.setConditions(conditions);
      return writer.writeStatus(pod, old, s, false, () -> pod.setStatus(s));
    }
    s.setPhase(anyStarted ? "Running" : "Pending");
    conditions.addAll(readiness(old, allRunning, mainNames, now));
    s.setConditions(conditions);
    final boolean bare = ClusterState.controllerOf(pod).isEmpty();
    return writer.writeStatus(pod, old, s, bare && allRunning, () -> pod.setStatus(s));
  }

  private static ContainerStatus containerStatus(Container c, List<ContainerStatus> old, boolean ready,
      boolean started, ContainerState state, int restartCount) {
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
        .withImageID(c.getImage() == null ? "" : "docker-pullable://" + c.getImage())
        .withContainerID(state.getWaiting() != null ? null : "docker://" + Names.sha256(c.getName() + c.getImage()).substring(0, 32))
        .withReady(ready).withStarted(started).withState(state).withRestartCount(restartCount).build();
  }

  private static ContainerState running(String startedAt) {
    return new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build();
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  private static PodCondition podCondition(PodStatus old, String type, String status, String reason, String message,
      Instant now) {
    final PodCondition previous = old.getConditions() == null ? null
        : old.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    final String transition = previous != null && status.equals(previous.getStatus())
        && previous.getLastTransitionTime() != null ? previous.getLastTransitionTime() : ClusterWriter.timestamp(now);
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message == null || message.isEmpty() ? null : message).withLastTransitionTime(transition).build();
  }

  private static long readyAfterSeconds(Pod pod) {
    final String value = annotation(pod, KubeletSimulator.READY_AFTER_ANNOTATION);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The pod's Ready and ContainersReady conditions, as the kubelet writes them. */
  private static List<PodCondition> readiness(PodStatus old, boolean ready, String mainNames, Instant now) {
    if (ready) {
      return List.of(podCondition(old, "Ready", "True", null, null, now),
          podCondition(old, "ContainersReady", "True", null, null, now));
    }
    String message = "containers with unready status: [" + mainNames + "]";
    return List.of(podCondition(old, "Ready", "False", "ContainersNotReady", message, now),
        podCondition(old, "ContainersReady", "False", "ContainersNotReady", message, now));
  }
}
