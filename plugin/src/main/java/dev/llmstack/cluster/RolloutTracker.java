package dev.llmstack.cluster;

import dev.llmstack.error.StackFailureException;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.PodSpecs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Waits until every workload of the stack is ready, driven by informers (watches), not by polling:
 * each change the API server reports re-evaluates the workloads by {@link RolloutRules}. Prints a
 * line as each becomes ready, fails fast with a diagnosis, and on timeout names what is not ready.
 */
public final class RolloutTracker {

  private final KubernetesClient client;
  private final Duration timeout;
  private final BuildLog log;
  private final LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  public RolloutTracker(KubernetesClient client, Duration timeout, BuildLog log) {
    this.client = client;
    this.timeout = timeout;
    this.log = log;
  }

  /** Workloads are the applied objects that run pods; anything else is ready once applied. */
  public static List<HasMetadata> workloads(List<HasMetadata> applied) {
    return applied.stream().filter(o -> o instanceof Pod || PodSpecs.template(o).isPresent()).toList();
  }

  public void await(List<HasMetadata> workloads) {
    if (workloads.isEmpty()) {
      log.info("No workloads to wait for.");
      return;
    }
    long start = System.nanoTime();
    if (workloads.stream().allMatch(w -> RolloutRules.of(w).isReady())) {
      // As applied (the API server's answer carries the status): nothing is rolling, no watch needed.
      log.info(String.format(Locale.ROOT, "All %d workloads ready in %.1f s.", workloads.size(), (System.nanoTime() - start) / 1e9));
      return;
    }
    long deadline = start + timeout.toNanos();
    try {
      Map<String, Function<String, Optional<HasMetadata>>> stores = startInformers(workloads);
      log.info("Waiting for " + workloads.size() + " workloads to become ready (timeout " + timeout.toSeconds() + " s).");
      Map<String, Double> readyAt = new LinkedHashMap<>();
      while (true) {
        Map<HasMetadata, WorkloadState> states = evaluate(workloads, stores, false);
        for (Map.Entry<HasMetadata, WorkloadState> e : states.entrySet()) {
          String name = e.getKey().getMetadata().getName();
          if (e.getValue().isReady() && !readyAt.containsKey(name)) {
            readyAt.put(name, (System.nanoTime() - start) / 1e9);
            log.info(progressLine(states, readyAt.size(), name, readyAt.get(name)));
          }
        }
        Optional<WorkloadState> failure = states.values().stream().filter(WorkloadState::isFailed).findFirst();
        if (failure.isPresent()) {
          throw new StackFailureException(
              failure.get().detail(),
              failure.get().fix() + " The stack is left as it is for inspection; remove it with mvn llmstack:undeploy.");
        }
        if (readyAt.size() == workloads.size()) {
          log.info(String.format(Locale.ROOT, "All %d workloads ready in %.1f s.", workloads.size(), (System.nanoTime() - start) / 1e9));
          return;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || !awaitChange(remaining)) {
          throw timedOut(evaluate(workloads, stores, true));
        }
      }
    } finally {
      informers.forEach(SharedIndexInformer::close);
      informers.clear();
    }
  }

  private boolean awaitChange(long nanos) {
    try {
      Boolean changed = changes.poll(nanos, TimeUnit.NANOSECONDS);
      changes.clear(); // one evaluation covers every change that arrived meanwhile
      return changed != null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackFailureException("Interrupted while waiting for the stack.", "Run deploy again.");
    }
  }

  private String progressLine(Map<HasMetadata, WorkloadState> states, int readyCount, String justReady, double seconds) {
    String line = String.format(Locale.ROOT, "%d/%d ready (%s after %.1f s)", readyCount, states.size(), justReady, seconds);
    return states.entrySet().stream()
        .filter(e -> !e.getValue().isReady())
        .findFirst()
        .map(e -> line + " — waiting for " + e.getKey().getMetadata().getName() + ": " + e.getValue().detail())
        .orElse(line);
  }

  private StackFailureException timedOut(Map<HasMetadata, WorkloadState> states) {
    List<String> notReady = new ArrayList<>();
    states.forEach((w, s) -> {
      if (!s.isReady()) {
        notReady.add(w.getKind() + " " + w.getMetadata().getName() + " (" + s.detail() + ")");
      }
    });
    return new StackFailureException(
        "The stack was not ready within " + timeout.toSeconds() + " s: " + notReady.size() + " of " + states.size()
            + " workloads not ready: " + String.join(", ", notReady) + ".",
        "If they are only slow, raise <timeout> (-Dllmstack.timeout); otherwise kubectl describe shows more."
            + " The stack is left as it is for inspection; remove it with mvn llmstack:undeploy.");
  }

  private Map<HasMetadata, WorkloadState> evaluate(
      List<HasMetadata> workloads, Map<String, Function<String, Optional<HasMetadata>>> stores, boolean timedOut) {
    Map<HasMetadata, WorkloadState> states = new LinkedHashMap<>();
    for (HasMetadata applied : workloads) {
      String ns = applied.getMetadata().getNamespace();
      Optional<HasMetadata> current = stores.get(applied.getKind()).apply(ns + "/" + applied.getMetadata().getName());
      if (current.isEmpty()) {
        states.put(applied, WorkloadState.waiting("not yet seen by the watch"));
        continue;
      }
      HasMetadata w = current.get();
      WorkloadState state = RolloutRules.of(w);
      if (!state.isReady() && !(w instanceof Pod)) {
        state = PodDiagnosis.refine(w, state, podsOf(w), lookups(), timedOut);
      } else if (w instanceof Pod p && !state.isReady()) {
        state = PodDiagnosis.refine(w, state, List.of(p), lookups(), timedOut);
      }
      states.put(applied, state);
    }
    return states;
  }

  private List<Pod> podsOf(HasMetadata workload) {
    Map<String, String> selector = selectorOf(workload);
    String uid = workload.getMetadata().getUid();
    List<Pod> pods = new ArrayList<>();
    for (SharedIndexInformer<?> informer : informers) {
      for (Object o : informer.getStore().list()) {
        if (o instanceof Pod p && workload.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
            && (ownedBy(p, uid) || matches(p, selector))) {
          pods.add(p);
        }
      }
    }
    return pods;
  }

  private static boolean ownedBy(Pod p, String uid) {
    return uid != null && p.getMetadata().getOwnerReferences() != null
        && p.getMetadata().getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  private static boolean matches(Pod p, Map<String, String> selector) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private static Map<String, String> selectorOf(HasMetadata w) {
    LabelSelector s = null;
    if (w instanceof Deployment d && d.getSpec() != null) {
      s = d.getSpec().getSelector();
    } else if (w instanceof StatefulSet st && st.getSpec() != null) {
      s = st.getSpec().getSelector();
    } else if (w instanceof DaemonSet ds && ds.getSpec() != null) {
      s = ds.getSpec().getSelector();
    } else if (w instanceof Job j && j.getSpec() != null) {
      s = j.getSpec().getSelector();
    }
    return s == null || s.getMatchLabels() == null ? Map.of() : s.getMatchLabels();
  }

  private PodDiagnosis.Lookups lookups() {
    return new PodDiagnosis.Lookups() {
      @Override
      public List<Event> eventsFor(Pod pod) {
        try {
          return client.v1().events().inNamespace(pod.getMetadata().getNamespace()).list().getItems().stream()
              .filter(e -> e.getInvolvedObject() != null && pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
              .toList();
        } catch (RuntimeException e) {
          return List.of();
        }
      }

      @Override
      public String lastLogLines(Pod pod, String container) {
        try {
          return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
              .inContainer(container).tailingLines(10).getLog();
        } catch (RuntimeException e) {
          return "";
        }
      }
    };
  }

  private Map<String, Function<String, Optional<HasMetadata>>> startInformers(List<HasMetadata> workloads) {
    Map<String, Function<String, Optional<HasMetadata>>> stores = new LinkedHashMap<>();
    TreeSet<String> namespaces = new TreeSet<>();
    workloads.forEach(w -> namespaces.add(w.getMetadata().getNamespace()));
    for (String ns : namespaces) {
      register(stores, "Deployment", client.apps().deployments().inNamespace(ns).inform(signal()));
      register(stores, "StatefulSet", client.apps().statefulSets().inNamespace(ns).inform(signal()));
      register(stores, "DaemonSet", client.apps().daemonSets().inNamespace(ns).inform(signal()));
      register(stores, "Job", client.batch().v1().jobs().inNamespace(ns).inform(signal()));
      register(stores, "Pod", client.pods().inNamespace(ns).inform(signal()));
    }
    return stores;
  }

  private <T extends HasMetadata> void register(
      Map<String, Function<String, Optional<HasMetadata>>> stores, String kind, SharedIndexInformer<T> informer) {
    informers.add(informer);
    Function<String, Optional<HasMetadata>> previous = stores.get(kind);
    stores.put(kind, key -> {
      Optional<HasMetadata> found = Optional.ofNullable(informer.getStore().getByKey(key));
      return found.isPresent() || previous == null ? found : previous.apply(key);
    });
  }

  private <T> ResourceEventHandler<T> signal() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changes.offer(Boolean.TRUE);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changes.offer(Boolean.TRUE);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changes.offer(Boolean.TRUE);
      }
    };
  }
}
