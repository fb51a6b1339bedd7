package dev.llmstack.kuberig;

import java.util.List;

/**
 * Waiting, bounded, for watches to be open on the rig's side, where {@link KubeRig#cutWatches()} finds them. A
 * client's watch call returns once it has the server's upgrade answer; the server registers the WebSocket a moment
 * later, so counting on the client's side races the cut.
 */
final class OpenWatches {

  private OpenWatches() {}

  /** Until the kubelet simulator's watches (one per informer, each across all namespaces) are open. */
  static void awaitSimulator(KubeRig rig) throws InterruptedException {
    Eventually.until("the kubelet simulator's " + rig.kubelet().watches() + " watches open", rig::openWatchPaths,
        paths -> acrossNamespaces(paths) >= rig.kubelet().watches());
  }

  /** Until the simulator's watches are open and no other (those of informers a test closed have ended). */
  static void awaitOnlySimulator(KubeRig rig) throws InterruptedException {
    Eventually.until("only the kubelet simulator's " + rig.kubelet().watches() + " watches open",
        rig::openWatchPaths, paths -> paths.size() == rig.kubelet().watches()
            && acrossNamespaces(paths) == rig.kubelet().watches());
  }

  /** Until a watch of {@code path} (e.g. {@code /api/v1/namespaces/ns/configmaps}) is open. */
  static void await(KubeRig rig, String path) throws InterruptedException {
    Eventually.until("a watch of " + path + " open", rig::openWatchPaths, paths -> paths.contains(path));
  }

  private static long acrossNamespaces(List<String> paths) {
    return paths.stream().filter(p -> !p.contains("/namespaces/")).count();
  }
}
