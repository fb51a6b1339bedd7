package dev.llmstack.forward;

import dev.llmstack.rollout.RolloutRules;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The ready pods of a namespace, kept current by an informer, so that each new connection goes to
 * a pod that is ready now (a replaced pod is picked up without restarting anything).
 */
final class ReadyPods implements AutoCloseable {

  private final SharedIndexInformer<Pod> informer;
  private final Object changed = new Object();

  ReadyPods(KubernetesClient client, String namespace) {
    this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        signal();
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        signal();
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        signal();
      }
    });
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** A ready pod matching the selector, waiting up to {@code patience} for one to appear. */
  Optional<Pod> pick(Map<String, String> selector, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (changed) {
      while (true) {
        Optional<Pod> pod = informer.getStore().list().stream()
            .filter(p -> matches(p, selector) && isReady(p))
            .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
        long remaining = deadline - System.nanoTime();
        if (pod.isPresent() || remaining <= 0) {
          return pod;
        }
        try {
          changed.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
      }
    }
  }

  private static boolean matches(Pod p, Map<String, String> selector) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  static boolean isReady(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null && RolloutRules.isPodReady(p);
  }

  @Override
  public void close() {
    informer.close();
  }
}
