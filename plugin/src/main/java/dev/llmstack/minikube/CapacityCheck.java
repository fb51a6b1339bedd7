package dev.llmstack.minikube;

import dev.llmstack.process.ProcessRunner;
import dev.llmstack.rollout.PodRequests;
import dev.llmstack.rollout.StackRequests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * Whether a minikube profile is big enough for a stack (the seed's {@code minikube-start.sh} sized it by hand), and
 * the {@code minikube start} that makes one that is. A node needs room for what the pods request (the scheduler
 * reserves that much and leaves pods Pending when no node has it) and for what Kubernetes' own pods request, plus
 * memory for the node's system, which the scheduler does not count but which lives in the same VM or container. And
 * it should have the memory the pods may use at their limits: beyond the node's memory, containers are OOM-killed
 * under load (CPU beyond it only slows them down).
 */
public final class CapacityCheck {

  /**
   * Kubernetes' own pods on a minikube cluster: kubeadm's control plane (kube-apiserver 250m, kube-controller-manager
   * 200m, kube-scheduler 100m, etcd 100m and 100Mi; kubeadm's static pod manifests) and one CoreDNS (100m, 70Mi) —
   * what {@code kubectl describe node} lists as allocated on a new minikube: cpu 750m, memory 170Mi.
   */
  static final PodRequests KUBERNETES_OWN = new PodRequests(new BigDecimal("0.75"), BigDecimal.valueOf(170L << 20));

  /** The node's kernel, kubelet and container runtime: about 1 GiB a scheduler never sees but the node must have. */
  static final PodRequests NODE_SYSTEM = new PodRequests(BigDecimal.ZERO, BigDecimal.valueOf(1L << 30));

  /** minikube refuses fewer (RSRC_INSUFFICIENT_CORES). */
  private static final int MINIKUBE_MIN_CPUS = 2;

  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  private CapacityCheck() {}

  /** What a single-node cluster needs for the stack to be scheduled: its requests, Kubernetes' own, the node's system. */
  public static PodRequests needs(StackRequests stack) {
    return stack.total().plus(KUBERNETES_OWN).plus(NODE_SYSTEM);
  }

  /** What it needs for the stack's pods at their limits (the memory of which must be there). */
  static PodRequests needsAtLimits(StackRequests stack) {
    return stack.limits().plus(KUBERNETES_OWN).plus(NODE_SYSTEM);
  }

  /**
   * Empty when the profile has room for the stack; else a warning naming the numbers and the command that fixes it:
   * pods that would stay Pending (requests), or memory limits beyond the profile's memory.
   */
  /**
   * The warning for the minikube profile images go to, when it is too small for the objects; empty when it has room,
   * or when no minikube (profile) runs to size against. For deploy, which warns before it applies.
   */
  public static Optional<String> forDeploy(DestinationResolver.Options images, List<HasMetadata> objects, ProcessRunner runner) {
    Optional<MinikubeCli> minikube = MinikubeCli.find(images.minikubeExecutable(), images.minikubeProfile(), runner);
    Optional<MinikubeCli.Size> size = minikube.flatMap(MinikubeCli::size);
    return size.flatMap(s -> tooSmall(minikube.get().profile(), s, StackRequests.of(objects, s.nodes())));
  }

  public static Optional<String> tooSmall(String profile, MinikubeCli.Size size, StackRequests stack) {
    PodRequests node = new PodRequests(BigDecimal.valueOf(size.cpus()), BigDecimal.valueOf(size.memoryMb()).multiply(MIB));
    PodRequests all = node.times(size.nodes());
    String has = size.nodes() == 1 ? node.describe() : size.nodes() + " nodes of " + node.describe();
    String fix = " minikube cannot resize a profile; recreate it larger (deleting it removes its cluster and the images in"
        + " it): minikube delete -p " + profile + " && " + startCommand(profile, stack, size);
    if (!needs(stack).fitsIn(all) || !stack.largest().plus(NODE_SYSTEM).fitsIn(node)) {
      return Optional.of("minikube profile '" + profile + "' (" + has + ") is too small for this overlay: its " + stack.pods()
          + " pods request " + stack.total().describe() + " (the largest, " + stack.largestPod() + ", "
          + stack.largest().describe() + "), Kubernetes' own pods " + KUBERNETES_OWN.describe() + ", and the node's system"
          + " needs about " + PodRequests.bytes(NODE_SYSTEM.memory()) + " beside them: " + needs(stack).describe()
          + " in all, so pods would stay Pending." + fix);
    }
    if (needsAtLimits(stack).memory().compareTo(all.memory()) > 0) {
      return Optional.of("minikube profile '" + profile + "' (" + has + ") has room for what this overlay's pods request,"
          + " but not for the memory they may use (their limits: " + PodRequests.bytes(stack.limits().memory()) + "; with"
          + " Kubernetes' own pods and the node's system " + PodRequests.bytes(needsAtLimits(stack).memory()) + "): under"
          + " load, containers would be OOM-killed." + fix);
    }
    return Optional.empty();
  }

  /**
   * How to get a running profile with room for the stack: {@code minikube start -p <profile>} for one that exists and
   * is big enough, with {@code minikube delete} first for one that is too small (its size cannot change), with
   * {@code --cpus} and {@code --memory} for a new one.
   *
   * @param size the profile's, empty when it does not exist
   * @param stack null when the overlay could not be read (then sizes are left to minikube)
   */
  public static String howToStart(String profile, Optional<MinikubeCli.Size> size, StackRequests stack) {
    if (stack == null) {
      return "minikube start -p " + profile;
    }
    if (size.isEmpty()) {
      return startCommand(profile, stack, null);
    }
    return tooSmall(profile, size.get(), stack).isPresent()
        ? "minikube delete -p " + profile + " && " + startCommand(profile, stack, size.get())
        : "minikube start -p " + profile;
  }

  /**
   * {@code minikube start -p <profile> --cpus <n> --memory <m>g} with room for the stack at its limits: whole CPUs and
   * GiB, at least minikube's minimum and what {@code current} has (null for a new profile); {@code --nodes} when it
   * has several, each with room for the largest pod.
   */
  static String startCommand(String profile, StackRequests stack, MinikubeCli.Size current) {
    int nodes = current == null ? 1 : current.nodes();
    PodRequests perNode = needs(stack).max(needsAtLimits(stack)).max(stack.largest().plus(NODE_SYSTEM).times(nodes));
    BigDecimal n = BigDecimal.valueOf(nodes);
    int cpus = Math.max(MINIKUBE_MIN_CPUS, perNode.cpu().divide(n, 0, RoundingMode.CEILING).intValue());
    int gib = perNode.memory().divide(n.multiply(GIB), 0, RoundingMode.CEILING).intValue();
    if (current != null) {
      cpus = Math.max(cpus, current.cpus());
      gib = Math.max(gib, BigDecimal.valueOf(current.memoryMb()).divide(BigDecimal.valueOf(1024), 0, RoundingMode.CEILING).intValue());
    }
    return "minikube start -p " + profile + (nodes > 1 ? " --nodes " + nodes : "") + " --cpus " + cpus + " --memory " + gib + "g";
  }
}
