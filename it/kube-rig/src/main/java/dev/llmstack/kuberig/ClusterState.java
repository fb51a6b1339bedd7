package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What one reconcile pass of the simulator sees: every object the controllers and the kubelet work on, read fresh
 * from the API server (all namespaces), and who owns what (by the controller ownerReference's uid, as the
 * controllers match their dependents).
 */
final class ClusterState {

  final Instant now;
  /** Every pod, those with a deletionTimestamp (in their grace period) included. */
  final List<Pod> pods;
  final List<Deployment> deployments;
  final List<ReplicaSet> replicaSets;
  final List<StatefulSet> statefulSets;
  final List<DaemonSet> daemonSets;
  final List<Job> jobs;
  final List<PersistentVolumeClaim> claims;
  final List<ControllerRevision> revisions;

  private final Predicate<String> deletedInPass;

  private ClusterState(KubernetesClient client, Predicate<String> deletedInPass) {
    this.deletedInPass = deletedInPass;
    this.now = Instant.now();
    this.pods = client.pods().inAnyNamespace().list().getItems();
    this.deployments = client.apps().deployments().inAnyNamespace().list().getItems();
    this.replicaSets = client.apps().replicaSets().inAnyNamespace().list().getItems();
    this.statefulSets = client.apps().statefulSets().inAnyNamespace().list().getItems();
    this.daemonSets = client.apps().daemonSets().inAnyNamespace().list().getItems();
    this.jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems();
    this.claims = client.persistentVolumeClaims().inAnyNamespace().list().getItems();
    this.revisions = client.apps().controllerRevisions().inAnyNamespace().list().getItems();
  }

  /** @param deletedInPass whether the pass has deleted the object with that uid since this state was read */
  static ClusterState read(KubernetesClient client, Predicate<String> deletedInPass) {
    return new ClusterState(client, deletedInPass);
  }

  /**
   * Pods whose controller is the owner, those in their grace period included. A pod the pass has deleted since it
   * read them counts as being deleted (with a {@code deletionTimestamp}), as a real controller learns from its watch:
   * a ReplicaSet status written later in the pass counted it as available, and the Deployment controller, reading
   * that status, surged past maxSurge (6 pods of 4 + 1) or dipped below the minimum available.
   */
  List<Pod> podsOf(HasMetadata owner) {
    return ownedBy(pods, owner).stream().map(this::asDeletedInPass).collect(Collectors.toCollection(ArrayList::new));
  }

  private Pod asDeletedInPass(Pod p) {
    if (terminating(p) || !deletedInPass.test(p.getMetadata().getUid())) {
      return p;
    }
    return new PodBuilder(p).editMetadata().withDeletionTimestamp(ClusterWriter.timestamp(now)).endMetadata().build();
  }

  /** The owner's dependents of one kind among the given objects, by the controller reference. */
  static <T extends HasMetadata> List<T> ownedBy(List<T> objects, HasMetadata owner) {
    final String uid = owner.getMetadata().getUid();
    return objects.stream().filter(o -> controllerOf(o).map(r -> uid.equals(r.getUid())).orElse(false))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  static <T extends HasMetadata> List<T> live(List<T> objects) {
    return objects.stream().filter(o -> !terminating(o)).collect(Collectors.toCollection(ArrayList::new));
  }

  static boolean terminating(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  static Optional<OwnerReference> controllerOf(HasMetadata o) {
    return Optional.ofNullable(o.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }

  static String annotation(HasMetadata o, String key) {
    return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
  }

  static Map<String, String> labelsOrEmpty(Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }

  static Map<String, String> templateLabels(PodTemplateSpec template) {
    return template.getMetadata() == null ? Map.of() : labelsOrEmpty(template.getMetadata().getLabels());
  }

  /** {@code spec.replicas} as the API server defaults it (1). */
  static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  static int count(Integer n) {
    return n == null ? 0 : n;
  }

  /** A status count as the API server writes it: omitted when zero. */
  static Integer nonZero(int n) {
    return n == 0 ? null : n;
  }

  /** Running, and its Ready condition True (the StatefulSet controller's "Running and Ready"). */
  static boolean runningAndReady(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && KubeletSimulator.isReady(p);
  }

  /** Not Succeeded or Failed and not being deleted: a pod that counts for its ReplicaSet. */
  static boolean active(Pod p) {
    final String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !terminating(p) && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }
}
