package dev.llmstack.cluster;

import dev.llmstack.kube.Kinds;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

/**
 * Server-side applies a stack in dependency order (field manager {@code llmstack}), records it as
 * an ApplySet and prunes what left the overlay. Only objects carrying both the ApplySet's part-of
 * label and the stack's labels are ever pruned.
 */
public final class StackApplier {

  public static final String FIELD_MANAGER = "llmstack";

  /** Objects of one apply step applied at once. */
  private static final int APPLY_THREADS = 4;

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
  private final BuildLog log;

  public StackApplier(KubernetesClient client, String stack, String namespace, String tooling, BuildLog log) {
    this.client = client;
    this.stack = stack;
    this.namespace = namespace;
    this.tooling = tooling;
    this.log = log;
  }

  public ApplySet applySet() {
    return new ApplySet(stack, namespace);
  }

  public Result apply(List<HasMetadata> rendered) {
    return apply(rendered, null);
  }

  /**
   * @param inputs the {@link DeployFingerprint#inputs} of the rendered objects, recorded on the
   *     ApplySet parent with the state the members are left in, for the next deploy's no-change
   *     check; null records nothing (and removes an earlier record)
   */
  public Result apply(List<HasMetadata> rendered, String inputs) {
    List<HasMetadata> objects = new ArrayList<>(rendered);
    objects.sort(Kinds.applyOrder());
    ApplySet applySet = applySet();
    Set<String> groupKinds = new TreeSet<>();
    Set<String> namespaces = new TreeSet<>();
    for (HasMetadata o : objects) {
      String gk = Kinds.groupKind(o);
      groupKinds.add(gk);
      if (!Kinds.isClusterScoped(gk)) {
        if (o.getMetadata().getNamespace() == null) {
          o.getMetadata().setNamespace(namespace);
        }
        namespaces.add(o.getMetadata().getNamespace());
      }
      Map<String, String> labels = new HashMap<>(o.getMetadata().getLabels());
      labels.put(ApplySet.PART_OF, applySet.id());
      o.getMetadata().setLabels(labels);
    }
    namespaces.add(namespace);

    List<Applied> applied = new ArrayList<>();
    objects.stream().filter(o -> o instanceof Namespace).forEach(o -> applied.add(applyOne(o)));
    ensureNamespaces(namespaces, objects);

    Secret previous = client.secrets().inNamespace(namespace).withName(applySet.name()).get();
    Set<String> everKnown = new TreeSet<>(groupKinds);
    everKnown.addAll(ApplySet.groupKinds(previous));
    Set<String> everNamespaces = new TreeSet<>(namespaces);
    everNamespaces.addAll(ApplySet.additionalNamespaces(previous));
    // KEP-3659: the parent lists a superset of the member kinds before members are applied. An earlier
    // fingerprint stays only if it is for the same inputs: a deploy that fails half-way must not leave
    // the record of other inputs behind (the members' state then differs from it anyway).
    serverSideApply(applySet.parent(everKnown, everNamespaces, tooling, StackDecorator.stackLabels(stack),
        sameInputs(previous, inputs)));

    // The members as they are before this apply, one LIST per kind and namespace: what each object was
    // (created or not) without a GET per object, and what prune deletes.
    Map<String, HasMetadata> members = new LinkedHashMap<>();
    StackMembers.list(client, applySet, stack, everKnown, everNamespaces, log).forEach(m -> members.put(key(m), m));
    applied.addAll(applyInSteps(objects.stream().filter(o -> !(o instanceof Namespace)).toList(), members));
    List<String> pruned = prune(members.values(), objects);
    Map<String, String> fingerprint = inputs == null
        ? Map.of()
        : new DeployFingerprint.Recorded(inputs,
            DeployFingerprint.members(applied.stream().map(a -> DeployFingerprint.Member.of(a.object())).toList())).annotations();
    serverSideApply(applySet.parent(groupKinds, namespaces, tooling, StackDecorator.stackLabels(stack), fingerprint));
    return new Result(applied, pruned);
  }

  /** The parent's fingerprint annotations if they record these inputs, else none. */
  private static Map<String, String> sameInputs(Secret parent, String inputs) {
    return DeployFingerprint.Recorded.on(parent)
        .filter(r -> r.inputs().equals(inputs))
        .map(DeployFingerprint.Recorded::annotations)
        .orElse(Map.of());
  }

  /**
   * Applies in apply order, the objects of one step (same {@link Kinds#applyOrder} rank: e.g. all
   * Services) in parallel. A failure stops before the next step.
   */
  private List<Applied> applyInSteps(List<HasMetadata> objects, Map<String, HasMetadata> members) {
    List<Applied> applied = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(APPLY_THREADS, r -> {
      Thread t = new Thread(r, "llmstack-apply");
      t.setDaemon(true);
      return t;
    });
    try {
      for (List<HasMetadata> step : steps(objects)) {
        List<Future<Applied>> results = new ArrayList<>();
        for (HasMetadata o : step) {
          HasMetadata before = members.get(key(o));
          results.add(threads.submit(() -> applyOne(o, before != null ? before : client.resource(o).get())));
        }
        RuntimeException failure = null;
        for (Future<Applied> f : results) {
          try {
            applied.add(f.get());
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
      }
    } finally {
      threads.shutdownNow();
    }
    return applied;
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

  private Applied applyOne(HasMetadata o) {
    return applyOne(o, client.resource(o).get());
  }

  private Applied applyOne(HasMetadata o, HasMetadata before) {
    HasMetadata after = serverSideApply(o);
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

  private HasMetadata serverSideApply(HasMetadata o) {
    try {
      return client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      throw new ConfigurationException(
          "The API server refused " + o.getKind() + " " + o.getMetadata().getName() + ": "
              + reason(e) + ".",
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
        log.info("Created namespace " + ns + ".");
      } catch (KubernetesClientException e) {
        throw new ConfigurationException(
            "Namespace " + ns + " does not exist and cannot be created: " + reason(e) + ".",
            "Create it (kubectl create namespace " + ns + ") or set <namespace> (-Dllmstack.namespace) to an existing one.");
      }
    }
  }

  private List<String> prune(Collection<HasMetadata> members, List<HasMetadata> keep) {
    Set<String> keepKeys = new TreeSet<>();
    keep.forEach(o -> keepKeys.add(key(o)));
    List<String> pruned = new ArrayList<>();
    for (HasMetadata member : members) {
      if (!keepKeys.contains(key(member))) {
        client.resource(member).delete();
        String what = member.getKind() + " " + member.getMetadata().getName();
        log.info("Pruned " + what + " (no longer in the overlay).");
        pruned.add(what);
      }
    }
    return pruned;
  }

  /**
   * The API server's own words (its Status message, e.g. RBAC's "namespaces is forbidden: ..."),
   * not fabric8's message, which appends the URL and a dump of the whole Status object.
   */
  static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  static String key(HasMetadata o) {
    return Kinds.groupKind(o) + "/" + Objects.toString(o.getMetadata().getNamespace(), "") + "/" + o.getMetadata().getName();
  }
}
