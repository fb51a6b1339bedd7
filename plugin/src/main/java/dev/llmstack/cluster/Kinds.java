package dev.llmstack.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds a stack may contain, in the order they are applied: what others depend on first
 * (namespaces, RBAC, config, storage, services), workloads last. Undeploy deletes in reverse.
 * Also maps ApplySet group-kinds ({@code Deployment.apps}) to fabric8 types for listing.
 */
public final class Kinds {

  private static final Map<String, Class<? extends HasMetadata>> BY_GROUP_KIND = new LinkedHashMap<>();
  private static final Map<String, Integer> ORDER = new LinkedHashMap<>();

  static {
    add(Namespace.class, 0);
    add(ServiceAccount.class, 2);
    add(ClusterRole.class, 3);
    add(Role.class, 3);
    add(ClusterRoleBinding.class, 4);
    add(RoleBinding.class, 4);
    add(ConfigMap.class, 5);
    add(Secret.class, 5);
    add(PersistentVolumeClaim.class, 7);
    add(Service.class, 8);
    add(NetworkPolicy.class, 8);
    add(PodDisruptionBudget.class, 8);
    add(StatefulSet.class, 9);
    add(DaemonSet.class, 9);
    add(Deployment.class, 10);
    add(Pod.class, 10);
    add(Job.class, 11);
    add(CronJob.class, 11);
    add(Ingress.class, 12);
    add(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class, 12);
  }

  private Kinds() {}

  private static void add(Class<? extends HasMetadata> type, int order) {
    String groupKind = groupKind(HasMetadata.getGroup(type), HasMetadata.getKind(type));
    BY_GROUP_KIND.put(groupKind, type);
    ORDER.put(groupKind, order);
  }

  /** ApplySet's spelling: {@code Deployment.apps}, {@code Service} (core group). */
  public static String groupKind(String group, String kind) {
    return group == null || group.isEmpty() ? kind : kind + "." + group;
  }

  public static String groupKind(HasMetadata object) {
    String apiVersion = object.getApiVersion();
    String group = apiVersion != null && apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return groupKind(group, object.getKind());
  }

  public static Optional<Class<? extends HasMetadata>> type(String groupKind) {
    return Optional.ofNullable(BY_GROUP_KIND.get(groupKind));
  }

  public static boolean isKnown(HasMetadata object) {
    return BY_GROUP_KIND.containsKey(groupKind(object));
  }

  public static boolean isClusterScoped(String groupKind) {
    return groupKind.equals("Namespace") || groupKind.startsWith("ClusterRole");
  }

  public static Comparator<HasMetadata> applyOrder() {
    return Comparator.comparingInt(Kinds::rank);
  }

  /** The object's step in apply order: objects of the same rank do not depend on each other. */
  public static int rank(HasMetadata o) {
    return ORDER.getOrDefault(groupKind(o), 12);
  }

  public static List<String> knownGroupKinds() {
    return List.copyOf(BY_GROUP_KIND.keySet());
  }
}
