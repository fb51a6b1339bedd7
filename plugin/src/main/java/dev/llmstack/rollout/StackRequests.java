package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;

/**
 * What a stack's objects ask the scheduler for once rolled out: the sum over its workloads of each pod's effective
 * requests ({@link PodRequests}) times the pods that run at once ({@link WorkloadKind#podsAtOnce}), the same sum of
 * their limits (the most they may use), and its largest pod, which has to fit on one node.
 *
 * @param largestPod the workload whose pod requests the most (by memory, then CPU); null when nothing runs pods
 */
public record StackRequests(PodRequests total, PodRequests limits, int pods, PodRequests largest, String largestPod) {

  /** @param nodes the cluster's nodes (a DaemonSet runs a pod on each) */
  public static StackRequests of(Collection<HasMetadata> objects, int nodes) {
    PodRequests total = PodRequests.NONE;
    PodRequests limits = PodRequests.NONE;
    PodRequests largest = PodRequests.NONE;
    String largestPod = null;
    int pods = 0;
    for (HasMetadata object : objects) {
      var kind = WorkloadKind.of(object);
      if (kind.isEmpty()) {
        continue;
      }
      int count = kind.get().podsAtOnce(object, nodes);
      if (count == 0) {
        continue;
      }
      var spec = kind.get().podSpec(object).orElse(null);
      PodRequests each = PodRequests.of(spec);
      total = total.plus(each.times(count));
      limits = limits.plus(PodRequests.limitsOf(spec).times(count));
      pods += count;
      if (largestPod == null || each.memory().compareTo(largest.memory()) > 0
          || each.memory().compareTo(largest.memory()) == 0 && each.cpu().compareTo(largest.cpu()) > 0) {
        largest = each;
        largestPod = object.getKind() + " " + object.getMetadata().getName();
      }
    }
    return new StackRequests(total, limits, pods, largest, largestPod);
  }
}
