package dev.llmstack.apply;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kube.Kinds;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where each kind of a stack lives in the API. Kinds in fabric8's model are known from their
 * class; any other (a custom resource) from the API server's discovery, or, for a kind whose
 * CustomResourceDefinition is in the overlay and not applied yet, from that definition. One home
 * for "which resource is this object, and is it namespaced", so apply, prune and undeploy treat a
 * custom resource like any other member.
 */
final class ResourceTypes {

  private final KubernetesClient client;
  private final List<CustomResourceDefinition> overlayDefinitions = new ArrayList<>();
  private final Map<String, Optional<ResourceDefinitionContext>> discovered = new HashMap<>();
  private final Map<String, Optional<ResourceDefinitionContext>> served = new HashMap<>();

  ResourceTypes(KubernetesClient client, List<HasMetadata> rendered) {
    this.client = client;
    rendered.stream().filter(o -> o instanceof CustomResourceDefinition).map(CustomResourceDefinition.class::cast).forEach(overlayDefinitions::add);
  }

  /** An object of a kind outside fabric8's model: a custom resource. */
  static boolean isCustom(HasMetadata o) {
    return o instanceof GenericKubernetesResource;
  }

  boolean isNamespaced(HasMetadata o) {
    return isCustom(o) ? custom(o.getApiVersion(), o.getKind()).map(ResourceDefinitionContext::isNamespaceScoped).orElse(true) : o instanceof Namespaced;
  }

  /**
   * Fails, before anything is applied, for custom resources whose kind the API server does not
   * serve and no CustomResourceDefinition of the overlay defines.
   */
  void checkServed(List<HasMetadata> objects, String context) {
    List<String> unknown = objects.stream()
        .filter(ResourceTypes::isCustom)
        .filter(o -> custom(o.getApiVersion(), o.getKind()).isEmpty())
        .map(o -> o.getApiVersion() + " " + o.getKind() + " (" + o.getMetadata().getName() + ")")
        .distinct()
        .toList();
    if (!unknown.isEmpty()) {
      throw new ConfigurationException(
          "The API server of context '" + context + "' does not serve " + String.join(", ", unknown)
              + ", and no CustomResourceDefinition in the overlay defines " + (unknown.size() == 1 ? "it" : "them") + ". Nothing was applied.",
          "Check apiVersion and kind for typos, or install the operator or CRD that defines the kind (kubectl api-resources lists what the cluster serves).");
    }
  }

  /** Whether the server serves the object's custom kind now (not only a definition of the overlay). */
  boolean servedNow(HasMetadata o) {
    return served.computeIfAbsent(o.getApiVersion() + "/" + o.getKind(), k -> fromDiscovery(o.getApiVersion(), o.getKind())).isPresent();
  }

  /** The resource to read and write the object through: fabric8's typed one, or a generic one for a custom kind. */
  Resource<? extends HasMetadata> resource(HasMetadata o) {
    if (!isCustom(o)) {
      return client.resource(o);
    }
    ResourceDefinitionContext context = custom(o.getApiVersion(), o.getKind()).orElseThrow(() -> new ConfigurationException(
        "The API server does not serve " + o.getApiVersion() + " " + o.getKind() + ".", "Install its CustomResourceDefinition."));
    var resources = client.genericKubernetesResources(context);
    return context.isNamespaceScoped()
        ? resources.inNamespace(o.getMetadata().getNamespace()).resource((GenericKubernetesResource) o)
        : resources.resource((GenericKubernetesResource) o);
  }

  /** A custom group-kind ({@code Widget.example.com}) at the version the server prefers, for listing members. */
  Optional<ResourceDefinitionContext> forGroupKind(String groupKind) {
    int dot = groupKind.indexOf('.');
    if (dot < 0) {
      return Optional.empty(); // the core group has no custom kinds
    }
    String kind = groupKind.substring(0, dot);
    String group = groupKind.substring(dot + 1);
    APIGroup apiGroup = discover(() -> client.getApiGroup(group));
    if (apiGroup == null || apiGroup.getPreferredVersion() == null) {
      return Optional.empty();
    }
    return custom(apiGroup.getPreferredVersion().getGroupVersion(), kind);
  }

  /** Forgets what discovery said, after CustomResourceDefinitions were applied. */
  void forget() {
    discovered.clear();
    served.clear();
  }

  Optional<ResourceDefinitionContext> custom(String apiVersion, String kind) {
    return discovered.computeIfAbsent(apiVersion + "/" + kind, k -> fromDiscovery(apiVersion, kind).or(() -> fromOverlay(apiVersion, kind)));
  }

  private Optional<ResourceDefinitionContext> fromDiscovery(String apiVersion, String kind) {
    APIResourceList list = discover(() -> client.getApiResources(apiVersion));
    if (list == null || list.getResources() == null) {
      return Optional.empty();
    }
    return list.getResources().stream()
        .filter(r -> kind.equals(r.getKind()) && r.getName() != null && !r.getName().contains("/"))
        .findFirst()
        .map(r -> ResourceDefinitionContext.fromApiResource(apiVersion, r));
  }

  private Optional<ResourceDefinitionContext> fromOverlay(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    for (CustomResourceDefinition crd : overlayDefinitions) {
      var spec = crd.getSpec();
      if (spec != null && group.equals(spec.getGroup()) && spec.getNames() != null && kind.equals(spec.getNames().getKind())
          && spec.getVersions() != null && spec.getVersions().stream().map(CustomResourceDefinitionVersion::getName).anyMatch(version::equals)) {
        return Optional.of(new ResourceDefinitionContext.Builder()
            .withGroup(group).withVersion(version).withKind(kind)
            .withPlural(spec.getNames().getPlural() != null ? spec.getNames().getPlural() : kind.toLowerCase(Locale.ROOT) + "s")
            .withNamespaced(!"Cluster".equals(spec.getScope()))
            .build());
      }
    }
    return Optional.empty();
  }

  /** A discovery answer; null when the server does not serve that group or version (404). */
  private static <T> T discover(Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /** For apply order: whether the object is a CustomResourceDefinition. */
  static boolean isDefinition(HasMetadata o) {
    return Kinds.groupKind(o).equals("CustomResourceDefinition.apiextensions.k8s.io");
  }
}
