package dev.llmstack.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
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
import java.util.HashMap;
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
  // type -> {apiVersion, plural}: what fabric8's annotations say (KindsTest checks), written out
  // because reading annotations the first time costs a fresh JVM ~25 ms of a no-change deploy
  private static final Map<Class<?>, String[]> REST = new HashMap<>();

  static {
    add(Namespace.class, "v1", "namespaces", 0);
    add(CustomResourceDefinition.class, "apiextensions.k8s.io/v1", "customresourcedefinitions", 1);
    add(ServiceAccount.class, "v1", "serviceaccounts", 2);
    add(ClusterRole.class, "rbac.authorization.k8s.io/v1", "clusterroles", 3);
    add(Role.class, "rbac.authorization.k8s.io/v1", "roles", 3);
    add(ClusterRoleBinding.class, "rbac.authorization.k8s.io/v1", "clusterrolebindings", 4);
    add(RoleBinding.class, "rbac.authorization.k8s.io/v1", "rolebindings", 4);
    add(ConfigMap.class, "v1", "configmaps", 5);
    add(Secret.class, "v1", "secrets", 5);
    add(PersistentVolumeClaim.class, "v1", "persistentvolumeclaims", 7);
    add(Service.class, "v1", "services", 8);
    add(NetworkPolicy.class, "networking.k8s.io/v1", "networkpolicies", 8);
    add(PodDisruptionBudget.class, "policy/v1", "poddisruptionbudgets", 8);
    add(StatefulSet.class, "apps/v1", "statefulsets", 9);
    add(DaemonSet.class, "apps/v1", "daemonsets", 9);
    add(Deployment.class, "apps/v1", "deployments", 10);
    add(ReplicaSet.class, "apps/v1", "replicasets", 10);
    add(Pod.class, "v1", "pods", 10);
    add(Job.class, "batch/v1", "jobs", 11);
    add(CronJob.class, "batch/v1", "cronjobs", 11);
    add(Ingress.class, "networking.k8s.io/v1", "ingresses", 12);
    add(HorizontalPodAutoscaler.class, "autoscaling/v2", "horizontalpodautoscalers", 12);
  }

  private Kinds() {}

  private static void add(Class<? extends HasMetadata> type, String apiVersion, String plural, int order) {
    REST.put(type, new String[] {apiVersion, plural});
    String groupKind = groupKind(type);
    BY_GROUP_KIND.put(groupKind, type);
    ORDER.put(groupKind, order);
  }

  /** The type's API version ({@code apps/v1}, {@code v1}). */
  public static String apiVersion(Class<? extends HasMetadata> type) {
    String[] rest = REST.get(type);
    return rest != null ? rest[0] : HasMetadata.getApiVersion(type);
  }

  /** The type's resource name in API paths ({@code deployments}). */
  public static String plural(Class<? extends HasMetadata> type) {
    String[] rest = REST.get(type);
    return rest != null ? rest[1] : HasMetadata.getPlural(type);
  }

  /** The type's kind: its class name, for the kinds known here. */
  public static String kind(Class<? extends HasMetadata> type) {
    return REST.containsKey(type) ? type.getSimpleName() : HasMetadata.getKind(type);
  }

  public static String groupKind(Class<? extends HasMetadata> type) {
    String apiVersion = apiVersion(type);
    return groupKind(apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "", kind(type));
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

  /** For the kinds of this table; a custom kind's scope comes from discovery. */
  public static boolean isClusterScoped(String groupKind) {
    return groupKind.equals("Namespace") || groupKind.startsWith("ClusterRole")
        || groupKind.equals("CustomResourceDefinition.apiextensions.k8s.io");
  }

  public static Comparator<HasMetadata> applyOrder() {
    return Comparator.comparingInt(Kinds::rank);
  }

  /** The object's step in apply order: objects of the same rank do not depend on each other. */
  public static int rank(HasMetadata o) {
    // kinds outside this table: built-in ones with the last step, custom resources after everything
    return ORDER.getOrDefault(groupKind(o), o instanceof GenericKubernetesResource ? 13 : 12);
  }

  public static List<String> knownGroupKinds() {
    return List.copyOf(BY_GROUP_KIND.keySet());
  }
}
