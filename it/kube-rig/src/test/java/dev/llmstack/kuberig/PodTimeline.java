package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of a namespace after each watch event, in order: what a client watching them saw, one state per event.
 * Built from the events themselves (an informer's store may already be ahead when a handler runs).
 */
final class PodTimeline implements AutoCloseable {

  private static final String MARK = "test.llmstack.dev/watch-check";

  private final SharedIndexInformer<Pod> informer;
  private final Map<String, Pod> current = new LinkedHashMap<>();
  private final List<List<Pod>> states = new ArrayList<>();

  PodTimeline(KubernetesClient client, String namespace) {
    informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        record(pod, false);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod pod) {
        record(pod, false);
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        record(pod, true);
      }
    });
  }

  /**
   * Returns once the watch delivers: marks a pod with an annotation and waits until that change is seen. The mock
   * registers a watch a moment after the client has listed; what happens in between would be missing from the
   * timeline (a pod deleted then would stay in it).
   */
  void awaitLive(KubernetesClient client, String namespace) throws InterruptedException {
    final Pod any = client.pods().inNamespace(namespace).list().getItems().get(0);
    final String mark = String.valueOf(System.nanoTime());
    client.pods().inNamespace(namespace).withName(any.getMetadata().getName())
        .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations(MARK, mark).endMetadata().build());
    Eventually.until("the watch of " + namespace + " delivering", this::states, seen -> seen.stream()
        .flatMap(List::stream).anyMatch(p -> p.getMetadata().getAnnotations() != null
            && mark.equals(p.getMetadata().getAnnotations().get(MARK))));
  }

  private synchronized void record(Pod pod, boolean deleted) {
    if (deleted) {
      current.remove(pod.getMetadata().getName());
    } else {
      current.put(pod.getMetadata().getName(), pod);
    }
    states.add(new ArrayList<>(current.values()));
  }

  /** Every state seen since the informer synced (the first ones fill it with the pods there were). */
  synchronized List<List<Pod>> states() {
    return new ArrayList<>(states);
  }

  /** The states from the first one with {@code size} pods on (skips the initial fill). */
  synchronized List<List<Pod>> statesFromSize(int size) {
    int first = 0;
    while (first < states.size() && states.get(first).size() < size) {
      first++;
    }
    return new ArrayList<>(states.subList(first, states.size()));
  }

  @Override
  public void close() {
    informer.close();
  }
}
