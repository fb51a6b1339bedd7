package dev.llmstack.kuberig;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who sends a request, as the API server's authentication decides it
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/): a bearer token the rig's kubeconfig
 * hands out names its user; another token is 401 Unauthorized; no credentials at all is the anonymous user, which
 * the default RBAC role {@code system:public-info-viewer} allows only {@code /version}, {@code /healthz},
 * {@code /readyz} and {@code /livez} (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles);
 * anything else is 403 with RBAC's message.
 */
final class Authentication {

  /** The user every token of the rig's kubeconfig authenticates as. */
  static final String USER = "llmstack";
  static final String ANONYMOUS = "system:anonymous";
  /** Token of each kubeconfig user (contexts "minikube" and "prod-eu"). */
  static final Map<String, String> TOKENS = Map.of("minikube", "kube-rig-minikube", "prod-eu", "kube-rig-prod-eu");
  /** The token of the rig's own clients. */
  static final String TOKEN = TOKENS.get("minikube");

  private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/version/", "/healthz", "/readyz", "/livez");

  private Authentication() {
  }

  /**
   * Null when the request may go on (a token of the kubeconfig, or an anonymous request for a public path); else the
   * answer that ends it: 401 for credentials the rig does not know, 403 for the anonymous user elsewhere.
   */
  static MockResponse refusal(RecordedRequest request, RequestInfo info) {
    final String authorization = request.getHeader("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return PUBLIC_PATHS.contains(info.path()) ? null : Forbidden.of(ANONYMOUS, info);
    }
    final Optional<String> token = bearer(authorization);
    return token.isPresent() && TOKENS.containsValue(token.get()) ? null
        : RigDispatcher.status(401, "Unauthorized", "Unauthorized");
  }

  private static Optional<String> bearer(String authorization) {
    final String value = authorization.trim();
    if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return Optional.of(value.substring(7).trim());
    }
    return Optional.empty();
  }
}
