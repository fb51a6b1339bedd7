package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * RBAC's 403 answer, worded as the API server words it (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/
 * errors.go {@code forbiddenMessage} and apimachinery's {@code NewForbidden};
 * https://kubernetes.io/docs/reference/access-authn-authz/authorization/): {@code <resource>[.<group>] ["<name>"]
 * is forbidden: User "<user>" cannot <verb> resource "<resource>[/<subresource>]" in API group "<group>" (in the
 * namespace "<ns>" | at the cluster scope)}, or {@code forbidden: User "<user>" cannot <verb> path "<path>"} for a
 * non-resource request; {@code details} name the group, the resource (as {@code kind}) and the object.
 */
final class Forbidden {

  private Forbidden() {
  }

  static MockResponse of(String user, RequestInfo info) {
    final ObjectNode details = JsonNodeFactory.instance.objectNode();
    final String message;
    if (!info.resourceRequest()) {
      message = "forbidden: User \"" + user + "\" cannot " + info.verb() + " path \"" + info.path() + "\"";
    } else {
      final String resource = info.subresource().isEmpty() ? info.resource()
          : info.resource() + "/" + info.subresource();
      final String scope = info.namespace().isEmpty() ? "at the cluster scope"
          : "in the namespace \"" + info.namespace() + "\"";
      final String qualified = info.group().isEmpty() ? info.resource() : info.resource() + "." + info.group();
      message = qualified + (info.name().isEmpty() ? "" : " \"" + info.name() + "\"") + " is forbidden: User \""
          + user + "\" cannot " + info.verb() + " resource \"" + resource + "\" in API group \"" + info.group()
          + "\" " + scope;
      if (!info.name().isEmpty()) {
        details.put("name", info.name());
      }
      if (!info.group().isEmpty()) {
        details.put("group", info.group());
      }
      details.put("kind", info.resource());
    }
    return RigDispatcher.status(403, "Forbidden", message, details);
  }
}
