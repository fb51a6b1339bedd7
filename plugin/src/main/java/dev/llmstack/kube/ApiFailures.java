package dev.llmstack.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * What a failed request to the API server comes down to, named as what it is: credentials refused
 * (401), not allowed (403), the server not answering at all, or the server's own words.
 */
public final class ApiFailures {

  private ApiFailures() {}

  /** The API server refused the credentials (expired token, wrong certificate). */
  public static boolean isUnauthorized(Throwable e) {
    return code(e) == 401;
  }

  /** The credentials were accepted but the request is not allowed (RBAC, admission). */
  public static boolean isForbidden(Throwable e) {
    return code(e) == 403;
  }

  /** No HTTP answer at all: connection refused or reset, a timeout, the server gone. */
  public static boolean isUnreachable(Throwable e) {
    if (code(e) > 0) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof HttpTimeoutException || t instanceof ClosedChannelException) {
        return true;
      }
    }
    return false;
  }

  /** The HTTP status of the failure, 0 when there was none. */
  public static int code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return k.getCode();
      }
    }
    return 0;
  }

  /**
   * The API server's own words (its Status message, e.g. RBAC's "namespaces is forbidden: ..."),
   * not fabric8's message, which appends the URL and a dump of the whole Status object.
   */
  public static String reason(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  /** How to get fresh credentials for the context. */
  public static String refreshCredentials(String context) {
    return "Refresh the credentials of context '" + context + "': for minikube run minikube update-context"
        + (context.equals("minikube") ? "" : " -p " + context)
        + " (or minikube start), for kind kind export kubeconfig, otherwise log in to the cluster again for a new token;"
        + " then run the build again.";
  }
}
