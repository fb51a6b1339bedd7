package dev.llmstack.rollout;

import dev.llmstack.error.Causes;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.kube.ApiFailures;
import dev.llmstack.kube.Kinds;
import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Waits until every workload (and custom resource with conditions) of the stack is ready, driven
 * by informers (watches), not by polling: each change the API server reports re-evaluates them by
 * their {@link WorkloadKind}'s rule. Prints a line as each becomes ready, fails fast with a
 * diagnosis of the current revision's pods, fails within {@link #LOST_AFTER} when the API server is
 * gone, and on timeout names what is not ready.
 */
public final class RolloutTracker {

  /** How long the watches may be down before the API server counts as lost. */
  static final Duration LOST_AFTER = Duration.ofSeconds(10);
  /** How often the wait looks at its watches' health while no change arrives. */
  private static final long HEALTH_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final KubernetesClient client;
  private final Duration timeout;
  private final BuildLog log;
  private final LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
  private final Watches watches;
  private final Set<String> restartedPods = new HashSet<>();
  private long watchesDownSince;

  public RolloutTracker(KubernetesClient client, Duration timeout, BuildLog log) {
    this.client = client;
    this.timeout = timeout;
    this.log = log;
    this.watches = new Watches(client, signal());
  }

  /**
   * What deploy waits for among the applied objects: workloads but CronJobs (whose Jobs run later,
   * on their schedule), and custom resources (judged by their conditions). Everything else is
   * ready once applied.
   */
  public static List<HasMetadata> waitedFor(List<HasMetadata> applied, BuildLog log) {
    List<HasMetadata> waited = new ArrayList<>();
    for (HasMetadata o : applied) {
      Optional<WorkloadKind> kind = WorkloadKind.of(o);
      if (kind.isPresent() && !kind.get().isWaitedFor()) {
        log.info(o.getKind() + " " + o.getMetadata().getName() + " applied; nothing to wait for (its Jobs run on its schedule).");
      } else if (kind.isPresent() || o instanceof GenericKubernetesResource) {
        waited.add(o);
      }
    }
    return waited;
  }

  /**
   * Waits for the objects ({@link #waitedFor}) to become ready.
   *
   * @return the objects as last seen, ready
   */
  public List<HasMetadata> await(List<HasMetadata> objects) {
    if (objects.isEmpty()) {
      log.info("No workloads to wait for.");
      return List.of();
    }
    long start = System.nanoTime();
    if (objects.stream().allMatch(o -> readiness(o).isReady())) {
      // As applied (the API server's answer carries the status): nothing is rolling, no watch needed.
      log.info(String.format(Locale.ROOT, "All %d workloads ready in %.1f s.", objects.size(), (System.nanoTime() - start) / 1e9));
      return objects;
    }
    long deadline = start + timeout.toNanos();
    try {
      watches.start(objects);
      log.info("Waiting for " + objects.size() + " workloads to become ready (timeout " + timeout.toSeconds() + " s).");
      Map<String, Double> readyAt = new LinkedHashMap<>();
      while (true) {
        Map<HasMetadata, WorkloadState> states = evaluate(objects, false);
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
        if (readyAt.size() == objects.size()) {
          log.info(String.format(Locale.ROOT, "All %d workloads ready in %.1f s.", objects.size(), (System.nanoTime() - start) / 1e9));
          return objects.stream().map(o -> watches.current(o).orElse(o)).toList();
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw timedOut(evaluate(objects, true));
        }
        awaitChange(Math.min(remaining, HEALTH_CHECK_NANOS));
        checkApiServer();
      }
    } catch (KubernetesClientException e) {
      throw lost(e);
    } finally {
      watches.close();
    }
  }

  private WorkloadState readiness(HasMetadata o) {
    return o instanceof GenericKubernetesResource g ? ConditionRules.of(g) : RolloutRules.of(o);
  }

  private void awaitChange(long nanos) {
    try {
      changes.poll(nanos, TimeUnit.NANOSECONDS);
      changes.clear(); // one evaluation covers every change that arrived meanwhile
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackFailureException("Interrupted while waiting for the stack.", "Run deploy again.");
    }
  }

  /**
   * Fails once the watches have been down for {@link #LOST_AFTER} and the API server does not
   * answer either: waiting out the timeout would only blame the workloads.
   */
  private void checkApiServer() {
    Optional<Throwable> stopped = watches.failure();
    if (stopped.isPresent()) {
      throw lost(stopped.get());
    }
    if (watches.allWatching()) {
      watchesDownSince = 0;
      return;
    }
    long now = System.nanoTime();
    if (watchesDownSince == 0) {
      watchesDownSince = now;
      log.debug("A watch of the wait is down; the informers reconnect");
    } else if (now - watchesDownSince >= LOST_AFTER.toNanos()) {
      try {
        client.getKubernetesVersion(); // the server answers: the watches are only slow to come back
        watchesDownSince = now;
      } catch (RuntimeException e) {
        throw lost(e);
      }
    }
  }

  private StackFailureException lost(Throwable e) {
    String server = client.getConfiguration().getMasterUrl();
    String context = client.getConfiguration().getCurrentContext() == null ? "?" : client.getConfiguration().getCurrentContext().getName();
    if (ApiFailures.isUnauthorized(e)) {
      return new StackFailureException(
          "The API server " + server + " stopped accepting the credentials of context '" + context + "' while deploy waited (401 Unauthorized).",
          "Everything was applied; " + ApiFailures.refreshCredentials(context));
    }
    String why = e instanceof KubernetesClientException k && k.getCode() > 0 ? ApiFailures.reason(k) : Causes.rootMessage(e);
    return new StackFailureException(
        "Lost the API server of context '" + context + "' (" + server + ") while waiting for the stack to become ready: " + why + ".",
        "Everything was applied before; the workloads were still rolling out. When the cluster is back"
            + " (minikube status), run deploy again: it applies what differs and waits again.");
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

  private Map<HasMetadata, WorkloadState> evaluate(List<HasMetadata> objects, boolean timedOut) {
    Map<HasMetadata, WorkloadState> states = new LinkedHashMap<>();
    for (HasMetadata applied : objects) {
      Optional<HasMetadata> current = watches.current(applied);
      if (current.isEmpty()) {
        states.put(applied, WorkloadState.waiting("not yet seen by the watch"));
        continue;
      }
      HasMetadata w = current.get();
      WorkloadState state = readiness(w);
      Optional<WorkloadKind> kind = WorkloadKind.of(w);
      if (!state.isReady() && kind.isPresent()) {
        if (w instanceof StatefulSet sts) {
          restartBlockingPods(sts);
        }
        state = PodDiagnosis.refine(w, state, CurrentPods.of(kind.get(), w, watches), lookups(), timedOut);
      }
      states.put(applied, state);
    }
    return states;
  }

  /** Deletes old-revision pods a StatefulSet's rolling update waits on forever ({@link CurrentPods#blockingOldRevision}). */
  private void restartBlockingPods(StatefulSet sts) {
    for (Pod pod : CurrentPods.blockingOldRevision(sts, watches)) {
      if (restartedPods.add(pod.getMetadata().getUid())) {
        log.info("Deleting pod " + pod.getMetadata().getName() + " of StatefulSet " + sts.getMetadata().getName()
            + ": it runs the previous revision and is not ready, and the StatefulSet controller does not replace such a pod"
            + " by itself (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#forced-rollback)."
            + " It is recreated from the new template; its volumes stay.");
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      }
    }
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
      public List<Node> nodes() {
        try {
          return client.nodes().list().getItems();
        } catch (RuntimeException e) {
          return List.of(); // nodes are cluster-scoped: a namespaced user may not read them
        }
      }

      @Override
      public List<Pod> podsOn(String node) {
        try {
          return client.pods().inAnyNamespace().list().getItems().stream()
              .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
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

  /**
   * The informers of one wait: one per kind and namespace of the waited objects, plus the pods of
   * those namespaces and what stands between a workload and its pods (ReplicaSets for Deployments,
   * ControllerRevisions for DaemonSets).
   */
  private static final class Watches implements CurrentPods.View {

    private final KubernetesClient client;
    private final ResourceEventHandler<HasMetadata> handler;
    // "<apiVersion>/<kind>/<namespace>" -> informer
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();

    Watches(KubernetesClient client, ResourceEventHandler<HasMetadata> handler) {
      this.client = client;
      this.handler = handler;
    }

    void start(List<HasMetadata> objects) {
      Set<String> namespaces = new TreeSet<>();
      for (HasMetadata o : objects) {
        String ns = o.getMetadata().getNamespace();
        Optional<WorkloadKind> kind = WorkloadKind.of(o);
        if (kind.isPresent()) {
          namespaces.add(ns);
          inform(kind.get().type(), ns);
          if (kind.get() == WorkloadKind.DEPLOYMENT) {
            inform(ReplicaSet.class, ns);
          } else if (kind.get() == WorkloadKind.DAEMON_SET) {
            inform(ControllerRevision.class, ns);
          }
        } else {
          informGeneric(o.getApiVersion(), o.getKind(), ns);
        }
      }
      namespaces.forEach(ns -> inform(Pod.class, ns));
    }

    private void inform(Class<? extends HasMetadata> type, String ns) {
      informers.computeIfAbsent(key(Kinds.apiVersion(type), Kinds.kind(type), ns),
          k -> client.resources(type).inNamespace(ns).inform(cast(handler)));
    }

    private void informGeneric(String apiVersion, String kind, String ns) {
      informers.computeIfAbsent(key(apiVersion, kind, ns), k -> ns == null
          ? client.genericKubernetesResources(apiVersion, kind).inform(cast(handler))
          : client.genericKubernetesResources(apiVersion, kind).inNamespace(ns).inform(cast(handler)));
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<?> handler) {
      return (ResourceEventHandler<T>) handler;
    }

    /** The object as the watch last saw it. */
    Optional<HasMetadata> current(HasMetadata applied) {
      String ns = applied.getMetadata().getNamespace();
      SharedIndexInformer<? extends HasMetadata> informer = informers.get(key(applied.getApiVersion(), applied.getKind(), ns));
      if (informer == null) {
        return Optional.empty();
      }
      String key = ns == null ? applied.getMetadata().getName() : ns + "/" + applied.getMetadata().getName();
      return Optional.ofNullable(informer.getStore().getByKey(key));
    }

    @Override
    public List<Pod> pods(String namespace) {
      return list(Pod.class, namespace);
    }

    @Override
    public List<ReplicaSet> replicaSets(String namespace) {
      return list(ReplicaSet.class, namespace);
    }

    @Override
    public List<ControllerRevision> controllerRevisions(String namespace) {
      return list(ControllerRevision.class, namespace);
    }

    private <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
      SharedIndexInformer<? extends HasMetadata> informer = informers.get(key(Kinds.apiVersion(type), Kinds.kind(type), namespace));
      return informer == null ? List.of() : informer.getStore().list().stream().filter(type::isInstance).map(type::cast).toList();
    }

    boolean allWatching() {
      return informers.values().stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** Why an informer stopped for good (a refused watch), if one did. */
    Optional<Throwable> failure() {
      for (SharedIndexInformer<? extends HasMetadata> informer : informers.values()) {
        var stopped = informer.stopped().toCompletableFuture();
        if (stopped.isCompletedExceptionally()) {
          return Optional.of(stopped.handle((v, e) -> e).join());
        }
      }
      return Optional.empty();
    }

    void close() {
      informers.values().forEach(SharedIndexInformer::close);
      informers.clear();
    }

    private static String key(String apiVersion, String kind, String namespace) {
      return apiVersion + "/" + kind + "/" + namespace;
    }
  }
}
