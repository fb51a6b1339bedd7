package dev.llmstack.kuberig;

import io.fabric8.mockwebserver.dsl.HttpMethod;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a request path means to the API server, parsed as its request-info resolver does
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): {@code /api/v1/...} and {@code /apis/<group>/<version>/...}
 * are resource requests, {@code /namespaces/<ns>/} names the namespace (a namespace's own {@code status} and
 * {@code finalize} stay its subresources), then resource, name and subresource; the verb comes from the method (a GET
 * without a name is {@code list}, or {@code watch} with {@code watch=true}; a DELETE without a name is
 * {@code deletecollection}). Anything else ({@code /api}, {@code /apis/apps}, {@code /version}) is a non-resource
 * request.
 */
record RequestInfo(boolean resourceRequest, String path, String verb, String group, String version, String namespace,
    String resource, String name, String subresource) {

  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  static RequestInfo of(HttpMethod method, String path, Map<String, String> query) {
    final List<String> parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    String verb = switch (method) {
      case POST -> "create";
      case PUT -> "update";
      case PATCH -> "patch";
      case DELETE -> "delete";
      default -> "get";
    };
    final String group;
    final String version;
    List<String> rest;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      rest = parts.subList(3, parts.size());
    } else {
      return new RequestInfo(false, path, method.name().toLowerCase(Locale.ROOT), "", "", "", "", "", "");
    }
    String namespace = "";
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    final String resource = rest.get(0);
    final String name = rest.size() > 1 ? rest.get(1) : "";
    final String subresource = rest.size() > 2 ? rest.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb = isTrue(query.get("watch")) ? "watch" : "list";
    } else if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new RequestInfo(true, path, verb, group, version, namespace, resource, name, subresource);
  }

  private static boolean isTrue(String value) {
    return "true".equalsIgnoreCase(value) || "1".equals(value);
  }

  /** {@code apps/v1}, {@code v1}. */
  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The object's path without a subresource, or empty for a collection. */
  Optional<String> objectPath() {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(collectionPath() + "/" + name);
  }

  /** {@code /api/v1/namespaces/ns/pods}, {@code /apis/apps/v1/deployments}. */
  String collectionPath() {
    final String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    final boolean namespaced = !namespace.isEmpty() && !(resource.equals("namespaces") && group.isEmpty());
    return base + (namespaced ? "/namespaces/" + namespace : "") + "/" + resource;
  }
}
