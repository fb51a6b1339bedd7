package dev.llmstack.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where the API server lists each kind of {@link Kinds}, without loading fabric8's model classes
 * (deploy's no-change check): {@code Deployment.apps} is {@code /apis/apps/v1/.../deployments}.
 * {@code KindsTest} checks that this table and fabric8's agree.
 */
final class KindPaths {

  /** @param group empty for the core group */
  record KindPath(String kind, String group, String version, String plural, boolean namespaced) {

    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** The list URL of this kind in a namespace (ignored when cluster-scoped), with a label selector. */
    String list(String namespace, String labelSelector) {
      String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
      String ns = namespaced ? "/namespaces/" + namespace : "";
      return base + ns + "/" + plural + "?labelSelector=" + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8);
    }
  }

  private static final Map<String, KindPath> BY_GROUP_KIND = Map.ofEntries(
      entry("Namespace", "", "v1", "namespaces", false),
      entry("ServiceAccount", "", "v1", "serviceaccounts", true),
      entry("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", false),
      entry("Role", "rbac.authorization.k8s.io", "v1", "roles", true),
      entry("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings", false),
      entry("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings", true),
      entry("ConfigMap", "", "v1", "configmaps", true),
      entry("Secret", "", "v1", "secrets", true),
      entry("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", true),
      entry("Service", "", "v1", "services", true),
      entry("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", true),
      entry("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", true),
      entry("StatefulSet", "apps", "v1", "statefulsets", true),
      entry("DaemonSet", "apps", "v1", "daemonsets", true),
      entry("Deployment", "apps", "v1", "deployments", true),
      entry("Pod", "", "v1", "pods", true),
      entry("Job", "batch", "v1", "jobs", true),
      entry("CronJob", "batch", "v1", "cronjobs", true),
      entry("Ingress", "networking.k8s.io", "v1", "ingresses", true),
      entry("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", true));

  private KindPaths() {}

  private static Map.Entry<String, KindPath> entry(String kind, String group, String version, String plural, boolean namespaced) {
    // Kinds.groupKind's spelling, without loading Kinds (and with it fabric8's model)
    return Map.entry(group.isEmpty() ? kind : kind + "." + group, new KindPath(kind, group, version, plural, namespaced));
  }

  static Optional<KindPath> of(String groupKind) {
    return Optional.ofNullable(BY_GROUP_KIND.get(groupKind));
  }

  static java.util.Set<String> groupKinds() {
    return BY_GROUP_KIND.keySet();
  }
}
