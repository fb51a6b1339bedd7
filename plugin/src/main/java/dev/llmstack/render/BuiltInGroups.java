package dev.llmstack.render;

import java.util.Set;

/**
 * The API groups kube-apiserver itself serves (https://kubernetes.io/docs/reference/using-api/#api-groups).
 * An unknown kind in one of them is a typo; in any other group it is a custom resource, whose kind
 * only the cluster can confirm.
 */
final class BuiltInGroups {

  private static final Set<String> GROUPS = Set.of(
      "", "apps", "batch", "autoscaling", "policy", "extensions",
      "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
      "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
      "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io",
      "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
      "storagemigration.k8s.io");

  private BuiltInGroups() {}

  /** Whether the apiVersion ({@code apps/v1}, {@code v1}) belongs to a built-in group. */
  static boolean contains(String apiVersion) {
    return GROUPS.contains(apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "");
  }
}
