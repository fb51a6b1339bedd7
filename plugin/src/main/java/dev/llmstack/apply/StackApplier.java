package dev.llmstack.apply;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.kube.ApiFailures;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.kube.Kinds;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Server-side applies a stack in dependency order (field manager {@code llmstack}), records it as
 * an ApplySet and prunes what left the overlay. Before anything is written, it checks that every
 * object is the stack's to apply ({@link Ownership}) and that the cluster serves every custom kind;
 * a refusal leaves the cluster untouched. Prune deletes only ApplySet members that carry the
 * stack's labels, and keeps what holds data ({@link StackDeletion}).
 */
public final class StackApplier {

  public static final String FIELD_MANAGER = "llmstack";

  /** Objects of one apply step applied at once. */
  private static final int APPLY_THREADS = 4;
  /** How long a CustomResourceDefinition of the overlay may take to be established before its objects are applied. */
  private static final Duration ESTABLISHED_WITHIN = Duration.ofSeconds(60);
  /** How long prune waits for what it deleted to be gone. */
  private static final Duration PRUNE_WITHIN = Duration.ofMinutes(2);

  /** What happened to one object. */
  public enum Change { CREATED, CONFIGURED, UNCHANGED }

  public record Applied(HasMetadata object, Change change) {
    public String describe() {
      return object.getKind() + " " + object.getMetadata().getName() + " " + change.name().toLowerCase();
    }
  }

  public record Result(List<Applied> applied, List<String> pruned) {}

  private final KubernetesClient client;
  private final String stack;
  private final String namespace;
  private final String tooling;
  private final List<String> adopt;
  private final BuildLog log;
  private Secret recorded; // the parent as the last apply left it

  public StackApplier(KubernetesClient client, String stack, String namespace, String tooling, BuildLog log) {
    this(client, stack, namespace, tooling, List.of(), log);
  }

  /** @param adopt objects to take over although they are not the stack's ({@link Ownership}) */
  public StackApplier(KubernetesClient client, String stack, String namespace, String tooling, List<String> adopt, BuildLog log) {
    this.client = client;
    this.stack = stack;
    this.namespace = namespace;
    this.tooling = tooling;
    this.adopt = List.copyOf(adopt);
    this.log = log;
  }

  public ApplySet applySet() {
    return new ApplySet(stack, namespace);
  }

  /** Applies the rendered objects, or refuses before writing anything. */
  public Result apply(List<HasMetadata> rendered) {
    List<HasMetadata> objects = new ArrayList<>(rendered);
    objects.sort(Kinds.applyOrder());
    ApplySet applySet = applySet();
    ResourceTypes types = new ResourceTypes(client, objects);
    types.checkServed(objects, context());
    Set<String> groupKinds = new TreeSet<>();
    Set<String> namespaces = new TreeSet<>();
    for (HasMetadata o : objects) {
      groupKinds.add(Kinds.groupKind(o));
      if (types.isNamespaced(o)) {
        if (o.getMetadata().getNamespace() == null) {
          o.getMetadata().setNamespace(namespace);
        }
        namespaces.add(o.getMetadata().getNamespace());
      } else {
        o.getMetadata().setNamespace(null);
      }
      Map<String, String> labels = new HashMap<>(o.getMetadata().getLabels());
      labels.put(ApplySet.PART_OF, applySet.id());
      o.getMetadata().setLabels(labels);
    }
    namespaces.add(namespace);

    // Everything below up to the first write only reads: a refusal leaves the cluster as it was.
    Ownership ownership = new Ownership(applySet.id(), adopt);
    Secret previous = client.secrets().inNamespace(namespace).withName(applySet.name()).get();
    if (previous != null && !applySet.id().equals(label(previous, ApplySet.ID))) {
      throw parentTaken(previous, applySet);
    }
    Set<String> everKnown = new TreeSet<>(groupKinds);
    everKnown.addAll(ApplySet.groupKinds(previous));
    Set<String> everNamespaces = new TreeSet<>(namespaces);
    everNamespaces.addAll(ApplySet.additionalNamespaces(previous));
    // The members as they are before this apply, one LIST per kind and namespace: what each object was
    // (created or not) without a GET per object, and what prune deletes.
    Map<String, HasMetadata> members = new LinkedHashMap<>();
    StackMembers.list(client, types, applySet, stack, everKnown, everNamespaces, log).forEach(m -> members.put(key(m), m));
    Map<String, HasMetadata> live = liveObjects(objects, members, types);
    List<HasMetadata> refused = new ArrayList<>();
    List<HasMetadata> toApply = new ArrayList<>();
    for (HasMetadata o : objects) {
      HasMetadata before = live.get(key(o));
      switch (ownership.decide(o, before)) {
        case REFUSE -> refused.add(before);
        case USE_EXISTING_NAMESPACE -> log.info("Namespace " + o.getMetadata().getName() + " exists and is not the stack's: using it"
            + " as it is (undeploy leaves it).");
        case ADOPT -> {
          log.info("Adopting " + o.getKind() + " " + o.getMetadata().getName() + " (" + Ownership.owner(before)
              + ") into stack '" + stack + "' (<adopt>): undeploy will delete it.");
          toApply.add(o);
        }
        default -> toApply.add(o);
      }
    }
    if (!refused.isEmpty()) {
      throw Ownership.refusal(stack, refused);
    }

    List<Applied> applied = new ArrayList<>();
    toApply.stream().filter(o -> o instanceof Namespace).forEach(o -> applied.add(applyOne(o, live.get(key(o)), types)));
    ensureNamespaces(namespaces, objects);

    // KEP-3659: the parent lists a superset of the member kinds before members are applied
    serverSideApply(applySet.parent(everKnown, everNamespaces, tooling, StackDecorator.stackLabels(stack), carried(previous)), types);

    applied.addAll(applyInSteps(toApply.stream().filter(o -> !(o instanceof Namespace)).toList(), live, types));
    StackDeletion.Outcome pruned = prune(members.values(), objects, types, applySet);
    for (StackDeletion.Kept k : pruned.kept()) {
      groupKinds.add(Kinds.groupKind(k.object()));
      if (k.object().getMetadata().getNamespace() != null) {
        namespaces.add(k.object().getMetadata().getNamespace());
      }
    }
    recorded = applySet.parent(groupKinds, namespaces, tooling, StackDecorator.stackLabels(stack), carried(previous));
    serverSideApply(recorded, types);
    return new Result(applied, pruned.deleted());
  }

  /**
   * Adds annotations to the ApplySet parent that {@link #apply} left (deploy's fingerprint, once the
   * stack is ready). The next apply drops them: the same field manager applies the parent without them.
   */
  public void annotateRecord(Map<String, String> annotations) {
    Secret annotated = new SecretBuilder(recorded).editMetadata().addToAnnotations(annotations).endMetadata().build();
    serverSideApply(annotated, new ResourceTypes(client, List.of()));
  }

  /**
   * The live object of each rendered one: the members listed already, a GET (in parallel) for the
   * rest. An object of a custom kind the server does not serve yet (its definition is in the
   * overlay) cannot exist.
   */
  private Map<String, HasMetadata> liveObjects(List<HasMetadata> objects, Map<String, HasMetadata> members, ResourceTypes types) {
    Map<String, HasMetadata> live = new HashMap<>();
    List<HasMetadata> unknown = new ArrayList<>();
    for (HasMetadata o : objects) {
      HasMetadata member = members.get(key(o));
      if (member != null) {
        live.put(key(o), member);
      } else if (!ResourceTypes.isCustom(o) || types.servedNow(o)) {
        unknown.add(o);
      }
    }
    inParallel(unknown, o -> {
      HasMetadata found = types.resource(o).get();
      synchronized (live) {
        if (found != null) {
          live.put(key(o), found);
        }
      }
      return null;
    });
    return live;
  }

  /** The ApplySet's name is taken by a Secret that is not this stack's record. */
  private ConfigurationException parentTaken(Secret previous, ApplySet applySet) {
    return new ConfigurationException(
        "Secret " + applySet.name() + " in namespace " + namespace + ", where stack '" + stack + "' keeps its ApplySet record,"
            + " exists and is not that record (" + Ownership.owner(previous) + "). Nothing was applied.",
        "Give the stack another name (<stack>, -Dllmstack.stack), deploy to another namespace (-Dllmstack.namespace), or delete that Secret"
            + " if it is a leftover.");
  }

  /** The parent's annotations of this field manager to keep across deploys: claims kept for a later undeploy. */
  private static Map<String, String> carried(Secret previous) {
    Map<String, String> all = new LinkedHashMap<>();
    String claims = previous == null || previous.getMetadata().getAnnotations() == null
        ? null : previous.getMetadata().getAnnotations().get(StackRemover.KEPT_CLAIMS);
    if (claims != null) {
      all.put(StackRemover.KEPT_CLAIMS, claims);
    }
    return all;
  }

  private String context() {
    var current = client.getConfiguration().getCurrentContext();
    return current == null ? client.getConfiguration().getMasterUrl() : current.getName();
  }

  private static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }

  /**
   * Applies in apply order, the objects of one step (same {@link Kinds#applyOrder} rank: e.g. all
   * Services) in parallel. A failure stops before the next step. Custom resources wait until the
   * CustomResourceDefinitions applied before them are established.
   */
  private List<Applied> applyInSteps(List<HasMetadata> objects, Map<String, HasMetadata> live, ResourceTypes types) {
    List<Applied> applied = new ArrayList<>();
    for (List<HasMetadata> step : steps(objects)) {
      applied.addAll(inParallel(step, o -> applyOne(o, live.get(key(o)), types)));
      List<HasMetadata> definitions = step.stream().filter(ResourceTypes::isDefinition).toList();
      if (!definitions.isEmpty()) {
        definitions.forEach(this::awaitEstablished);
        types.forget();
      }
    }
    return applied;
  }

  /** Runs the task on every object, four at a time; the first failure is rethrown once all ended. */
  private static <T> List<T> inParallel(List<HasMetadata> objects, Function<HasMetadata, T> task) {
    if (objects.isEmpty()) {
      return List.of();
    }
    ExecutorService threads = Executors.newFixedThreadPool(Math.min(APPLY_THREADS, objects.size()), r -> {
      Thread t = new Thread(r, "llmstack-apply");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> results = new ArrayList<>();
      objects.forEach(o -> results.add(threads.submit(() -> task.apply(o))));
      List<T> done = new ArrayList<>();
      RuntimeException failure = null;
      for (Future<T> f : results) {
        try {
          done.add(f.get());
        } catch (ExecutionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          failure = failure == null ? cause : failure;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while applying the stack", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return done;
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * The objects, in apply order, cut into steps of the same {@link Kinds#rank}; kinds that Kinds does
   * not know share the last rank but are a step each, applied as rendered.
   */
  private static List<List<HasMetadata>> steps(List<HasMetadata> ordered) {
    List<List<HasMetadata>> steps = new ArrayList<>();
    for (HasMetadata o : ordered) {
      List<HasMetadata> last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
      if (last != null && Kinds.isKnown(o) && Kinds.isKnown(last.get(0)) && Kinds.rank(o) == Kinds.rank(last.get(0))) {
        last.add(o);
      } else {
        steps.add(new ArrayList<>(List.of(o)));
      }
    }
    return steps;
  }

  /** Objects of a new kind can be created once its definition is established (Established=True). */
  private void awaitEstablished(HasMetadata definition) {
    try {
      client.apiextensions().v1().customResourceDefinitions().withName(definition.getMetadata().getName())
          .waitUntilCondition(crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
              && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
              ESTABLISHED_WITHIN.toSeconds(), TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new StackFailureException(
          "CustomResourceDefinition " + definition.getMetadata().getName() + " was not established within "
              + ESTABLISHED_WITHIN.toSeconds() + " s, so the objects of its kind were not applied.",
          "See why: kubectl describe crd " + definition.getMetadata().getName() + " (its conditions NamesAccepted and Established).");
    }
  }

  private Applied applyOne(HasMetadata o, HasMetadata before, ResourceTypes types) {
    HasMetadata after = serverSideApply(o, types);
    Change change =
        before == null
            ? Change.CREATED
            : Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())
                ? Change.UNCHANGED
                : Change.CONFIGURED;
    Applied result = new Applied(after, change);
    log.debug(result.describe());
    return result;
  }

  private HasMetadata serverSideApply(HasMetadata o, ResourceTypes types) {
    try {
      return types.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (ApiFailures.isUnreachable(e) || ApiFailures.isUnauthorized(e)) {
        throw ClusterConnector.failure(e, context(), client.getConfiguration().getMasterUrl(),
            "while applying " + o.getKind() + " " + o.getMetadata().getName()
                + "; objects before it in apply order were applied, the rest were not: run deploy again when the cluster answers");
      }
      throw new ConfigurationException(
          "The API server refused " + o.getKind() + " " + o.getMetadata().getName() + ": "
              + ApiFailures.reason(e) + ".",
          "Fix that object in the overlay; objects before it in apply order were applied (others of its kind"
              + " may have been), the rest were not.");
    }
  }

  private void ensureNamespaces(Set<String> namespaces, List<HasMetadata> objects) {
    Set<String> declared = new LinkedHashSet<>();
    objects.stream().filter(o -> o instanceof Namespace).forEach(o -> declared.add(o.getMetadata().getName()));
    for (String ns : namespaces) {
      if (declared.contains(ns) || client.namespaces().withName(ns).get() != null) {
        continue;
      }
      try {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        log.info("Created namespace " + ns + " (not part of the stack: undeploy leaves it; kubectl delete namespace " + ns + " removes it).");
      } catch (KubernetesClientException e) {
        throw new ConfigurationException(
            "Namespace " + ns + " does not exist and cannot be created: " + ApiFailures.reason(e) + ".",
            "Create it (kubectl create namespace " + ns + ") or set <namespace> (-Dllmstack.namespace) to an existing one.");
      }
    }
  }

  /**
   * Deletes the members that left the overlay, as undeploy would: claims and objects annotated
   * keep stay (and stay members, so a later undeploy with deleteVolumes finds them).
   */
  private StackDeletion.Outcome prune(Collection<HasMetadata> members, List<HasMetadata> rendered, ResourceTypes types, ApplySet applySet) {
    Set<String> renderedKeys = new TreeSet<>();
    rendered.forEach(o -> renderedKeys.add(key(o)));
    List<HasMetadata> gone = members.stream().filter(m -> !renderedKeys.contains(key(m))).toList();
    if (gone.isEmpty()) {
      return new StackDeletion.Outcome(List.of(), List.of());
    }
    StackDeletion.Outcome outcome = new StackDeletion(client, types, o -> isRecord(o, applySet), log)
        .delete(gone, false, claim -> "no longer in the overlay, but it holds data; undeploy with -Dllmstack.deleteVolumes deletes it",
            System.nanoTime() + PRUNE_WITHIN.toNanos());
    outcome.deleted().forEach(what -> log.info("Pruned " + what + " (no longer in the overlay)."));
    return outcome;
  }

  /** Whether the object is the stack's ApplySet parent. */
  static boolean isRecord(HasMetadata o, ApplySet applySet) {
    return "Secret".equals(o.getKind()) && applySet.name().equals(o.getMetadata().getName())
        && applySet.namespace().equals(o.getMetadata().getNamespace());
  }

  static String key(HasMetadata o) {
    return Kinds.groupKind(o) + "/" + Objects.toString(o.getMetadata().getNamespace(), "") + "/" + o.getMetadata().getName();
  }
}
