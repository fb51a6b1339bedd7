package dev.llmstack.apply;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a namespace still holds, found by listing every namespaced kind the API server serves
 * (discovery), as {@code kubectl api-resources --namespaced --verbs=list} would. Deleting a
 * namespace deletes all of it (https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace),
 * so the stack deletes one only when this finds nothing. Not counted: what the cluster makes in
 * every namespace (the {@code default} ServiceAccount, the {@code kube-root-ca.crt} ConfigMap,
 * events, Endpoints and EndpointSlices) and objects with an owner (garbage-collected with it).
 */
final class NamespaceContents {

  private static final Set<String> NOT_CONTENT = Set.of("events", "endpoints", "endpointslices", "bindings", "localsubjectaccessreviews");

  private final KubernetesClient client;

  NamespaceContents(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The objects left in the namespace ({@code Kind name}), at most {@code limit}.
   *
   * @param ignored objects not to count (the stack's ApplySet record)
   */
  List<String> remaining(String namespace, Predicate<GenericKubernetesResource> ignored, int limit) {
    List<String> left = new ArrayList<>();
    for (ResourceDefinitionContext type : namespacedTypes()) {
      for (GenericKubernetesResource o : client.genericKubernetesResources(type).inNamespace(namespace).list().getItems()) {
        if (isContent(o) && !ignored.test(o)) {
          left.add(type.getKind() + " " + o.getMetadata().getName());
          if (left.size() >= limit) {
            return left;
          }
        }
      }
    }
    return left;
  }

  private static boolean isContent(GenericKubernetesResource o) {
    if (o.getMetadata().getOwnerReferences() != null && !o.getMetadata().getOwnerReferences().isEmpty()) {
      return false;
    }
    String name = o.getMetadata().getName();
    return !(("ServiceAccount".equals(o.getKind()) && "default".equals(name))
        || ("ConfigMap".equals(o.getKind()) && "kube-root-ca.crt".equals(name)));
  }

  private List<ResourceDefinitionContext> namespacedTypes() {
    List<String> groupVersions = new ArrayList<>(List.of("v1"));
    List<APIGroup> groups = client.getApiGroups() == null ? List.of() : client.getApiGroups().getGroups();
    for (APIGroup group : groups) {
      if (group.getPreferredVersion() != null) {
        groupVersions.add(group.getPreferredVersion().getGroupVersion());
      }
    }
    List<ResourceDefinitionContext> types = new ArrayList<>();
    for (String groupVersion : groupVersions) {
      APIResourceList resources = client.getApiResources(groupVersion);
      if (resources == null || resources.getResources() == null) {
        continue;
      }
      for (APIResource r : resources.getResources()) {
        if (Boolean.TRUE.equals(r.getNamespaced()) && !r.getName().contains("/") && !NOT_CONTENT.contains(r.getName())
            && r.getVerbs() != null && r.getVerbs().contains("list")) {
          types.add(ResourceDefinitionContext.fromApiResource(groupVersion, r));
        }
      }
    }
    return types;
  }
}
