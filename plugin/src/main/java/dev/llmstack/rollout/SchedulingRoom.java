package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An unschedulable pod's requests against each node's room, as the scheduler compares them: the node's allocatable
 * (https://kubernetes.io/docs/reference/node/node-status/#capacity) minus what the pods already bound to it request
 * (those not Succeeded or Failed). The scheduler's event names the resource; this says how far off it is.
 */
final class SchedulingRoom {

  /** More nodes than this are summed up in a count: the event already says how many refused the pod. */
  private static final int SHOWN_NODES = 3;

  private SchedulingRoom() {}

  /**
   * {@code Pod p requests 0.5 CPUs and 12 GiB; node minikube has 4 CPUs and 8 GiB allocatable, of which its 9 pods
   * request 1.95 CPUs and 2.3 GiB (free: 2.05 CPUs and 5.7 GiB).}; empty when no node could be read.
   *
   * @param podsOn the pods bound to a node (by name)
   */
  static String describe(Pod pod, List<Node> nodes, Function<String, List<Pod>> podsOn) {
    if (nodes.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("Pod " + pod.getMetadata().getName() + " requests "
        + PodRequests.of(pod.getSpec()).describe() + ";");
    for (Node node : nodes.subList(0, Math.min(SHOWN_NODES, nodes.size()))) {
      Map<String, io.fabric8.kubernetes.api.model.Quantity> allocatable =
          node.getStatus() == null ? null : node.getStatus().getAllocatable();
      if (allocatable == null) {
        continue;
      }
      PodRequests room = PodRequests.of(allocatable);
      List<Pod> bound = podsOn.apply(node.getMetadata().getName()).stream().filter(SchedulingRoom::holdsResources).toList();
      PodRequests used = bound.stream().map(p -> PodRequests.of(p.getSpec())).reduce(PodRequests.NONE, PodRequests::plus);
      text.append(" node ").append(node.getMetadata().getName()).append(" has ").append(room.describe())
          .append(" allocatable, of which its ").append(bound.size()).append(bound.size() == 1 ? " pod requests " : " pods request ")
          .append(used.describe())
          .append(" (free: ").append(room.minus(used).describe()).append(");");
    }
    if (nodes.size() > SHOWN_NODES) {
      text.append(" and ").append(nodes.size() - SHOWN_NODES).append(" more nodes;");
    }
    text.setCharAt(text.length() - 1, '.');
    return text.toString();
  }

  private static boolean holdsResources(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }
}
