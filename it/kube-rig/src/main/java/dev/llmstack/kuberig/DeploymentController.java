package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.ClusterState.annotation;
import static dev.llmstack.kuberig.ClusterState.count;
import static dev.llmstack.kuberig.ClusterState.label;
import static dev.llmstack.kuberig.ClusterState.replicas;
import static dev.llmstack.kuberig.ClusterState.templateLabels;

/**
 * The Deployment controller (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/): rolls a
 * Deployment through ReplicaSet objects, as kube-controller-manager's does.
 * <ul>
 * <li>The ReplicaSet of the current template is {@code <deploy>-<pod-template-hash>} (labels: the template's +
 * {@code pod-template-hash}; selector: the Deployment's + {@code pod-template-hash}; controller reference to the
 * Deployment), annotated {@code deployment.kubernetes.io/revision} (one more than every older ReplicaSet's: a
 * template that returns to an older ReplicaSet gives it a new, higher revision, the docs' rollback),
 * {@code desired-replicas} and {@code max-replicas}. The Deployment carries the revision of that ReplicaSet.</li>
 * <li>RollingUpdate: {@code maxSurge} and {@code maxUnavailable} default to 25% (surge rounds up, unavailable down;
 * both 0 makes unavailable 1). The new ReplicaSet grows while all replicas stay within replicas + maxSurge; old ones
 * shrink, unhealthy replicas first, while available pods stay at least replicas - maxUnavailable. With one replica:
 * the new pod is created, the old one is deleted once the new one is available.</li>
 * <li>Recreate: old ReplicaSets to 0, the new one is created and scaled up only once no old pod is left.</li>
 * <li>Old ReplicaSets stay, at 0; once a rollout is complete the oldest beyond {@code revisionHistoryLimit}
 * (default 10) are deleted.</li>
 * </ul>
 * Status ({@link DeploymentRolloutStatus}) comes from the ReplicaSets. Not modelled: paused Deployments,
 * proportional scaling across several active ReplicaSets, {@code minReadySeconds}, adoption by selector, collision
 * counts, copying the Deployment's annotations to its ReplicaSets, events.
 */
final class DeploymentController implements Controller<Deployment> {

  static final String POD_TEMPLATE_HASH = "pod-template-hash";
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

  private final ClusterWriter writer;
  private final DeploymentRolloutStatus rolloutStatus;
  /** Deployment uid → the ReplicaSet just created for it: its status says NewReplicaSetCreated once. */
  private final Map<String, String> created = new ConcurrentHashMap<>();

  /** @param wakeAt when a progress deadline passes, for another pass then */
  DeploymentController(ClusterWriter writer, Consumer<Instant> wakeAt) {
    this.writer = writer;
    this.rolloutStatus = new DeploymentRolloutStatus(writer, this, wakeAt);
  }

  /** The ReplicaSet created for the Deployment since its status was last computed, if any (forgotten then). */
  Optional<String> takeCreated(Deployment d) {
    return Optional.ofNullable(created.remove(d.getMetadata().getUid()));
  }

  @Override
  public boolean sync(Deployment d, ClusterState cluster) {
    final List<ReplicaSet> owned = ClusterState.live(ClusterState.ownedBy(cluster.replicaSets, d));
    final ReplicaSet newRs = newReplicaSet(d, owned);
    final List<ReplicaSet> old = owned.stream().filter(rs -> rs != newRs)
        .sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()))
        .collect(Collectors.toList());
    final boolean recreate = isRecreate(d);
    if (newRs == null) {
      if (recreate && scaleDown(d, old)) {
        return true;
      }
      if (recreate && oldPodsRunning(old, cluster)) {
        return false; // waits for the old pods to go
      }
      return createReplicaSet(d, old, recreate ? replicas(d.getSpec().getReplicas()) : newReplicas(d, owned, 0));
    }
    if (syncRevision(d, newRs, old)) {
      return true;
    }
    final boolean scaled = recreate ? rolloutRecreate(d, newRs, old, cluster) : rolloutRolling(d, newRs, old, owned);
    return scaled || cleanUp(d, old);
  }

  @Override
  public boolean status(Deployment d, ClusterState cluster) {
    return rolloutStatus.write(d, cluster);
  }

  /** The ReplicaSet whose template is the Deployment's (same pod-template-hash). */
  static ReplicaSet newReplicaSet(Deployment d, List<ReplicaSet> owned) {
    final String hash = Names.hash(d.getSpec().getTemplate());
    return owned.stream().filter(rs -> hash.equals(label(rs, POD_TEMPLATE_HASH))).findFirst().orElse(null);
  }

  static long revision(ReplicaSet rs) {
    try {
      return Long.parseLong(Optional.ofNullable(annotation(rs, REVISION)).orElse("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static boolean isRecreate(Deployment d) {
    return d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
  }

  /** maxSurge as an absolute number: the percentage of replicas rounded up; 0 with Recreate. */
  static int maxSurge(Deployment d) {
    return isRecreate(d) ? 0 : fenceposts(d)[0];
  }

  /** maxUnavailable as an absolute number: the percentage rounded down, at most replicas; 0 with Recreate. */
  static int maxUnavailable(Deployment d) {
    return isRecreate(d) ? 0 : Math.min(fenceposts(d)[1], replicas(d.getSpec().getReplicas()));
  }

  private static int[] fenceposts(Deployment d) {
    final DeploymentStrategy strategy = d.getSpec().getStrategy();
    final var rolling = strategy == null ? null : strategy.getRollingUpdate();
    final int desired = replicas(d.getSpec().getReplicas());
    final int surge = scaled(rolling == null ? null : rolling.getMaxSurge(), desired, true);
    final int unavailable = scaled(rolling == null ? null : rolling.getMaxUnavailable(), desired, false);
    return new int[] {surge, surge == 0 && unavailable == 0 ? 1 : unavailable};
  }

  private static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value != null && value.getIntVal() != null) {
      return value.getIntVal();
    }
    final String text = value == null || value.getStrVal() == null ? "25%" : value.getStrVal();
    final double percent = Double.parseDouble(text.replace("%", "").trim());
    final double exact = percent * total / 100.0;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }

  private static int sumSpec(List<ReplicaSet> sets) {
    return sets.stream().mapToInt(rs -> replicas(rs.getSpec().getReplicas())).sum();
  }

  /** The size of the new ReplicaSet under RollingUpdate: grown while all replicas stay within replicas + maxSurge. */
  private static int newReplicas(Deployment d, List<ReplicaSet> all, int current) {
    final int desired = replicas(d.getSpec().getReplicas());
    final int maxTotal = desired + maxSurge(d);
    final int total = sumSpec(all);
    if (total >= maxTotal) {
      return current;
    }
    return current + Math.max(0, Math.min(maxTotal - total, desired - current));
  }

  private boolean createReplicaSet(Deployment d, List<ReplicaSet> old, int replicas) {
    final String hash = Names.hash(d.getSpec().getTemplate());
    final String name = d.getMetadata().getName() + "-" + hash;
    final PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editOrNewMetadata()
        .addToLabels(POD_TEMPLATE_HASH, hash).endMetadata().build();
    final LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector())
        .addToMatchLabels(POD_TEMPLATE_HASH, hash).build();
    final Map<String, String> annotations = new LinkedHashMap<>(replicaAnnotations(d));
    annotations.put(REVISION, String.valueOf(maxRevision(old) + 1));
    final ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName(name)
        .withNamespace(d.getMetadata().getNamespace()).withLabels(templateLabels(template))
        .withAnnotations(annotations).withOwnerReferences(ClusterWriter.controllerReference(d)).endMetadata()
        .withNewSpec().withReplicas(replicas).withMinReadySeconds(d.getSpec().getMinReadySeconds())
        .withSelector(selector).withTemplate(template).endSpec().build();
    if (writer.create(rs)) {
      created.put(d.getMetadata().getUid(), name);
    }
    return true;
  }

  private static long maxRevision(List<ReplicaSet> sets) {
    return sets.stream().mapToLong(DeploymentController::revision).max().orElse(0);
  }

  private static Map<String, String> replicaAnnotations(Deployment d) {
    final int desired = replicas(d.getSpec().getReplicas());
    return Map.of(DESIRED_REPLICAS, String.valueOf(desired), MAX_REPLICAS, String.valueOf(desired + maxSurge(d)));
  }

  /**
   * The new ReplicaSet's revision is above every old one's (a template that came back gets the next number, its
   * former one recorded in {@code revision-history}); the Deployment carries it.
   */
  private boolean syncRevision(Deployment d, ReplicaSet newRs, List<ReplicaSet> old) {
    final long max = maxRevision(old);
    if (revision(newRs) <= max) {
      final Map<String, String> annotations = new LinkedHashMap<>(newRs.getMetadata().getAnnotations());
      if (revision(newRs) > 0) {
        final String history = annotations.get(REVISION_HISTORY);
        annotations.put(REVISION_HISTORY, (history == null ? "" : history + ",") + revision(newRs));
      }
      annotations.put(REVISION, String.valueOf(max + 1));
      newRs.getMetadata().setAnnotations(annotations);
      return writer.update(newRs);
    }
    final String revision = String.valueOf(revision(newRs));
    if (!revision.equals(annotation(d, REVISION))) {
      return writer.annotate(d, Map.of(REVISION, revision));
    }
    return false;
  }

  /** Sets a ReplicaSet's size, and the Deployment's replicas in its annotations. */
  private boolean scale(Deployment d, ReplicaSet rs, int replicas) {
    final Map<String, String> annotations = new LinkedHashMap<>(
        Optional.ofNullable(rs.getMetadata().getAnnotations()).orElse(Map.of()));
    final boolean sizeChanges = replicas(rs.getSpec().getReplicas()) != replicas;
    final boolean annotationsChange = !annotations.entrySet().containsAll(replicaAnnotations(d).entrySet());
    if (!sizeChanges && !annotationsChange) {
      return false;
    }
    annotations.putAll(replicaAnnotations(d));
    rs.getMetadata().setAnnotations(annotations);
    rs.getSpec().setReplicas(replicas);
    return writer.update(rs);
  }

  private boolean scaleDown(Deployment d, List<ReplicaSet> old) {
    boolean changed = false;
    for (ReplicaSet rs : old) {
      if (replicas(rs.getSpec().getReplicas()) > 0) {
        changed |= scale(d, rs, 0);
      }
    }
    return changed;
  }

  /** Recreate waits until no pod of an old ReplicaSet is left but finished ones (pods being deleted count). */
  private static boolean oldPodsRunning(List<ReplicaSet> old, ClusterState cluster) {
    for (ReplicaSet rs : old) {
      if (rs.getStatus() != null && count(rs.getStatus().getReplicas()) > 0) {
        return true;
      }
      for (Pod p : cluster.podsOf(rs)) {
        final String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean rolloutRecreate(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, ClusterState cluster) {
    if (scaleDown(d, old)) {
      return true;
    }
    return !oldPodsRunning(old, cluster) && scale(d, newRs, replicas(d.getSpec().getReplicas()));
  }

  private boolean rolloutRolling(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, List<ReplicaSet> all) {
    final int desired = replicas(d.getSpec().getReplicas());
    final int current = replicas(newRs.getSpec().getReplicas());
    if (current > desired) {
      return scale(d, newRs, desired);
    }
    if (current < desired) {
      final int grown = newReplicas(d, all, current);
      if (grown != current) {
        return scale(d, newRs, grown);
      }
    }
    return reconcileOld(d, newRs, old, all) || scale(d, newRs, current);
  }

  /**
   * Shrinks old ReplicaSets as far as availability allows: first their unhealthy replicas (at most what the
   * budget allows), then healthy ones while available pods stay above replicas - maxUnavailable.
   */
  private boolean reconcileOld(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, List<ReplicaSet> all) {
    if (sumSpec(old) == 0) {
      return false;
    }
    final int minAvailable = replicas(d.getSpec().getReplicas()) - maxUnavailable(d);
    final int newUnavailable = replicas(newRs.getSpec().getReplicas()) - available(newRs);
    final int maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    boolean changed = false;
    int cleaned = 0;
    for (ReplicaSet rs : old) {
      final int size = replicas(rs.getSpec().getReplicas());
      if (cleaned >= maxScaledDown || size == 0 || size == available(rs)) {
        continue;
      }
      final int down = Math.min(maxScaledDown - cleaned, size - available(rs));
      changed |= scale(d, rs, size - down);
      cleaned += down;
    }
    final int availableNow = all.stream().mapToInt(DeploymentController::available).sum();
    if (availableNow > minAvailable) {
      int remaining = availableNow - minAvailable;
      for (ReplicaSet rs : old) {
        final int size = replicas(rs.getSpec().getReplicas());
        if (remaining <= 0 || size == 0) {
          continue;
        }
        final int down = Math.min(size, remaining);
        changed |= scale(d, rs, size - down);
        remaining -= down;
      }
    }
    return changed;
  }

  /**
   * The available replicas a ReplicaSet will keep: its status's, at most its size. Right after a scale-down the
   * status still counts the pods about to go; counting them made the controller "clean up" upwards (4 pods for a
   * size of 3: scaled back to 4, 6 pods of 4 + maxSurge 1) and shrink below the minimum available. The real
   * controller refuses the first (cleanupUnhealthyReplicas: "invalid request to scale down").
   */
  static int available(ReplicaSet rs) {
    return rs.getStatus() == null ? 0
        : Math.min(count(rs.getStatus().getAvailableReplicas()), replicas(rs.getSpec().getReplicas()));
  }

  /** Once the rollout is complete (by the stored status): old ReplicaSets at 0 beyond the history limit go. */
  private boolean cleanUp(Deployment d, List<ReplicaSet> old) {
    if (!DeploymentRolloutStatus.complete(d, d.getStatus())) {
      return false;
    }
    final int limit = Optional.ofNullable(d.getSpec().getRevisionHistoryLimit()).orElse(10);
    final List<ReplicaSet> cleanable = old.stream()
        .filter(rs -> replicas(rs.getSpec().getReplicas()) == 0 && rs.getStatus() != null
            && count(rs.getStatus().getReplicas()) == 0
            && Objects.equals(rs.getMetadata().getGeneration(), rs.getStatus().getObservedGeneration()))
        .sorted(Comparator.comparingLong(DeploymentController::revision)).collect(Collectors.toList());
    if (cleanable.size() <= limit) {
      return false;
    }
    cleanable.subList(0, cleanable.size() - limit).forEach(writer::delete);
    return true;
  }
}
