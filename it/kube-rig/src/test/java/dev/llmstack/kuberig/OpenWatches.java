package dev.llmstack.kuberig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

/** Waiting, bounded, for informers to (re)open their watches on the rig. */
final class OpenWatches {

  private OpenWatches() {}

  static void await(KubeRig rig, int atLeast) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rig.openWatches() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(rig.openWatches()).isGreaterThanOrEqualTo(atLeast);
  }
}
