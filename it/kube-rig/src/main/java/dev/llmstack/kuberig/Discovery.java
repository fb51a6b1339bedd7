package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The resource types the rig serves, and the discovery documents that list them as the API server does
 * (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api): {@code /api} (APIVersions),
 * {@code /api/v1} and {@code /apis/<group>/<version>} (APIResourceList: name, singularName, namespaced, kind, verbs,
 * shortNames, one entry per subresource), {@code /apis} (APIGroupList) and {@code /apis/<group>} (APIGroup). The
 * built-in types are the ones below (what a minikube of Kubernetes 1.31 serves of them, with the verbs and
 * subresources the rig answers); custom resources come from the CustomResourceDefinitions stored. A request for any
 * other type is 404, as the API server answers it.
 */
final class Discovery {

  static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
      "update", "watch");
  private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

  /** A resource type: {@code subresources} are the ones the rig serves. */
  record Resource(String group, String version, String plural, String kind, boolean namespaced,
      List<String> shortNames, List<String> subresources, boolean builtIn) {

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    boolean hasStatus() {
      return subresources.contains("status");
    }
  }

  /** group/version plural Kind scope(ns|cluster) shortNames subresources. */
  private static final String[] BUILT_IN = {
      "v1 configmaps ConfigMap ns cm -",
      "v1 endpoints Endpoints ns ep -",
      "v1 events Event ns ev -",
      "v1 limitranges LimitRange ns limits -",
      "v1 namespaces Namespace cluster ns status",
      "v1 nodes Node cluster no status",
      "v1 persistentvolumeclaims PersistentVolumeClaim ns pvc status",
      "v1 persistentvolumes PersistentVolume cluster pv status",
      "v1 pods Pod ns po status,log,exec,portforward",
      "v1 replicationcontrollers ReplicationController ns rc status,scale",
      "v1 resourcequotas ResourceQuota ns quota status",
      "v1 secrets Secret ns - -",
      "v1 serviceaccounts ServiceAccount ns sa -",
      "v1 services Service ns svc status",
      "apps/v1 controllerrevisions ControllerRevision ns - -",
      "apps/v1 daemonsets DaemonSet ns ds status",
      "apps/v1 deployments Deployment ns deploy status,scale",
      "apps/v1 replicasets ReplicaSet ns rs status,scale",
      "apps/v1 statefulsets StatefulSet ns sts status,scale",
      "batch/v1 cronjobs CronJob ns cj status",
      "batch/v1 jobs Job ns - status",
      "autoscaling/v2 horizontalpodautoscalers HorizontalPodAutoscaler ns hpa status",
      "autoscaling/v1 horizontalpodautoscalers HorizontalPodAutoscaler ns hpa status",
      "policy/v1 poddisruptionbudgets PodDisruptionBudget ns pdb status",
      "networking.k8s.io/v1 ingressclasses IngressClass cluster - -",
      "networking.k8s.io/v1 ingresses Ingress ns ing status",
      "networking.k8s.io/v1 networkpolicies NetworkPolicy ns netpol -",
      "rbac.authorization.k8s.io/v1 clusterrolebindings ClusterRoleBinding cluster - -",
      "rbac.authorization.k8s.io/v1 clusterroles ClusterRole cluster - -",
      "rbac.authorization.k8s.io/v1 rolebindings RoleBinding ns - -",
      "rbac.authorization.k8s.io/v1 roles Role ns - -",
      "apiextensions.k8s.io/v1 customresourcedefinitions CustomResourceDefinition cluster crd,crds status",
      "storage.k8s.io/v1 storageclasses StorageClass cluster sc -",
      "coordination.k8s.io/v1 leases Lease ns - -",
      "discovery.k8s.io/v1 endpointslices EndpointSlice ns - -",
      "events.k8s.io/v1 events Event ns ev -",
      "scheduling.k8s.io/v1 priorityclasses PriorityClass cluster pc -",
  };
  private static final List<Resource> BUILT_IN_RESOURCES = Arrays.stream(BUILT_IN).map(Discovery::parse).toList();

  private final Supplier<List<Resource>> customResources;

  Discovery(Supplier<List<Resource>> customResources) {
    this.customResources = customResources;
  }

  private static Resource parse(String row) {
    final String[] f = row.split(" ");
    final int slash = f[0].indexOf('/');
    return new Resource(slash < 0 ? "" : f[0].substring(0, slash), f[0].substring(slash + 1), f[1], f[2],
        f[3].equals("ns"), f[4].equals("-") ? List.of() : List.of(f[4].split(",")),
        f[5].equals("-") ? List.of() : List.of(f[5].split(",")), true);
  }

  List<Resource> all() {
    final List<Resource> all = new ArrayList<>(BUILT_IN_RESOURCES);
    all.addAll(customResources.get());
    return all;
  }

  /** The type a resource request names, if the rig serves it. */
  Optional<Resource> resolve(RequestInfo info) {
    return all().stream().filter(r -> r.group().equals(info.group()) && r.version().equals(info.version())
        && r.plural().equals(info.resource())).findFirst();
  }

  /**
   * A discovery document for a GET of {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<g>} or
   * {@code /apis/<g>/<v>}; a 404 for an unknown group or version under them; null for any other path.
   */
  MockResponse serve(String path) {
    final String[] parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
    if (parts.length == 1 && parts[0].equals("api")) {
      return RigDispatcher.json(200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
    }
    if (parts.length == 2 && parts[0].equals("api")) {
      return resourceList("", parts[1]);
    }
    if (parts.length == 1 && parts[0].equals("apis")) {
      final ObjectNode list = JsonNodeFactory.instance.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
      final ArrayNode groups = list.putArray("groups");
      groups().forEach((group, versions) -> groups.add(group(group, versions)));
      return RigDispatcher.json(200, list.toString());
    }
    if (parts.length == 2 && parts[0].equals("apis")) {
      final List<String> versions = groups().get(parts[1]);
      return versions == null ? notFound() : RigDispatcher.json(200,
          group(parts[1], versions).put("kind", "APIGroup").put("apiVersion", "v1").toString());
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      return resourceList(parts[1], parts[2]);
    }
    return null;
  }

  /** Groups (not the core one) and their versions, the preferred (first listed) first. */
  private Map<String, List<String>> groups() {
    final Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Resource r : all()) {
      if (!r.group().isEmpty()) {
        final List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!versions.contains(r.version())) {
          versions.add(r.version());
        }
      }
    }
    return groups;
  }

  private static ObjectNode group(String name, List<String> versions) {
    final ObjectNode group = JsonNodeFactory.instance.objectNode().put("name", name);
    final ArrayNode list = group.putArray("versions");
    versions.forEach(v -> list.addObject().put("groupVersion", name + "/" + v).put("version", v));
    group.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return group;
  }

  private MockResponse resourceList(String group, String version) {
    final List<Resource> resources = all().stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    if (resources.isEmpty()) {
      return notFound();
    }
    final ObjectNode list = JsonNodeFactory.instance.objectNode().put("kind", "APIResourceList");
    if (!group.isEmpty()) {
      list.put("apiVersion", "v1");
    }
    list.put("groupVersion", resources.get(0).groupVersion());
    final ArrayNode entries = list.putArray("resources");
    for (Resource r : resources) {
      final ObjectNode entry = entries.addObject().put("name", r.plural())
          .put("singularName", r.kind().toLowerCase(Locale.ROOT)).put("namespaced", r.namespaced())
          .put("kind", r.kind());
      entry.putArray("verbs").addAll(ALL_VERBS.stream().map(JsonNodeFactory.instance::textNode).toList());
      if (!r.shortNames().isEmpty()) {
        entry.putArray("shortNames").addAll(r.shortNames().stream().map(JsonNodeFactory.instance::textNode).toList());
      }
      for (String sub : r.subresources()) {
        final ObjectNode subEntry = entries.addObject().put("name", r.plural() + "/" + sub).put("singularName", "")
            .put("namespaced", r.namespaced()).put("kind", subresourceKind(r, sub));
        if (sub.equals("scale")) {
          subEntry.put("group", "autoscaling").put("version", "v1");
        }
        subEntry.putArray("verbs").addAll(subresourceVerbs(sub).stream().map(JsonNodeFactory.instance::textNode)
            .toList());
      }
    }
    return RigDispatcher.json(200, list.toString());
  }

  private static String subresourceKind(Resource r, String sub) {
    return switch (sub) {
      case "scale" -> "Scale";
      case "exec" -> "PodExecOptions";
      case "portforward" -> "PodPortForwardOptions";
      default -> r.kind();
    };
  }

  private static List<String> subresourceVerbs(String sub) {
    return switch (sub) {
      case "log" -> List.of("get");
      case "exec", "portforward" -> List.of("create", "get");
      default -> SUBRESOURCE_VERBS;
    };
  }

  /** What the API server answers for a path it has no handler for. */
  static MockResponse notFound() {
    return RigDispatcher.status(404, "NotFound", "the server could not find the requested resource",
        JsonNodeFactory.instance.objectNode());
  }
}
