package dev.llmstack.kube;

import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opens the cluster named by a kubeconfig context, after checking the context is one dev secrets
 * may go to: a production context must never get the stack by accident.
 */
public final class ClusterConnector {

  public static final List<String> DEFAULT_ALLOWED_CONTEXTS =
      List.of("minikube", "docker-desktop", "kind-*", "k3d-*", "rancher-desktop", "orbstack");

  /**
   * @param kubeconfig explicit file, or null for KUBECONFIG / ~/.kube/config
   * @param context explicit context, or null for the kubeconfig's current context
   */
  public record Options(Path kubeconfig, String context, List<String> allowedContexts, Map<String, String> environment) {}

  /** A connected client and what it is connected to. */
  public record Connection(KubernetesClient client, String context, String namespace, String server) {}

  private ClusterConnector() {}

  public static Connection connect(Options o, BuildLog log) {
    KubeContext selected = KubeContext.select(o);
    String context = selected.name();
    Config config = clientConfig(selected);
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(30_000);
    // A stopped cluster should be reported at once, not after fabric8's retries with backoff.
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      // discovery: answered to any authenticated user, refused (401/403) with wrong or no credentials
      client.getAPIVersions();
    } catch (RuntimeException e) {
      client.close();
      throw failure(e, context, config.getMasterUrl(), null);
    }
    log.debug("Connected to " + config.getMasterUrl() + " (context " + context + ")");
    return new Connection(client, context, selected.namespace(), config.getMasterUrl());
  }

  /**
   * fabric8's configuration for the context. Static credentials (what minikube, kind, k3d and
   * Docker Desktop write) are taken from the kubeconfig as {@link KubeContext} read it, with
   * fabric8's builder: its own kubeconfig reader first registers every model class it knows, ~0.3 s
   * of each deploy. Any other context (exec plugins, auth providers, ...) goes through fabric8's
   * reader, which runs and refreshes them.
   */
  static Config clientConfig(KubeContext c) {
    if (!c.hasStaticCredentials()) {
      try {
        return Config.fromKubeconfig(c.name(), Files.readString(c.file()), c.file().toString());
      } catch (IOException | RuntimeException e) {
        throw KubeContext.unreadable(c.file(), Causes.rootMessage(e));
      }
    }
    ConfigBuilder b = new ConfigBuilder(Config.empty())
        .withMasterUrl(c.server())
        .withNamespace(c.namespace())
        .withCurrentContext(new NamedContextBuilder().withName(c.name()).withNewContext().withNamespace(c.namespace()).endContext().build())
        .withTrustCerts(Boolean.parseBoolean(c.clusterValue("insecure-skip-tls-verify")))
        .withCaCertData(c.clusterValue("certificate-authority-data"))
        .withCaCertFile(path(c.file(c.cluster(), "certificate-authority")))
        .withClientCertData(c.userValue("client-certificate-data"))
        .withClientCertFile(path(c.file(c.user(), "client-certificate")))
        .withClientKeyData(c.userValue("client-key-data"))
        .withClientKeyFile(path(c.file(c.user(), "client-key")))
        .withOauthToken(c.userValue("token"))
        .withUsername(c.userValue("username"))
        .withPassword(c.userValue("password"));
    return b.build();
  }

  private static String path(Path p) {
    return p == null ? null : p.toString();
  }

  /**
   * A request to the API server failed: credentials refused (401), not allowed (403), or no answer.
   *
   * @param doing what was being done, with what it means for the stack ("while applying ..."); null when connecting
   */
  public static ConfigurationException failure(Throwable e, String context, String server, String doing) {
    String where = "The API server of context '" + context + "' (" + server + ")";
    String during = doing == null ? "" : " " + doing;
    if (ApiFailures.isUnauthorized(e)) {
      return new ConfigurationException(
          where + " refused its credentials (401 Unauthorized: the token or client certificate is wrong or has expired)" + during + ".",
          ApiFailures.refreshCredentials(context));
    }
    if (ApiFailures.isForbidden(e)) {
      return new ConfigurationException(
          where + " does not allow what deploy needs" + during + ": "
              + (e instanceof KubernetesClientException k ? ApiFailures.reason(k) : Causes.rootMessage(e)) + " (403 Forbidden).",
          "Use a context whose user may read and write in the stack's namespace, or ask the cluster's admin for that role.");
    }
    return new ConfigurationException(
        where + " is not reachable" + during + ": " + Causes.rootMessage(e) + ".",
        "Start the cluster (minikube start" + (context.equals("minikube") ? "" : " -p " + context) + ") or check the context.");
  }

  static Path kubeconfigFile(Options o) {
    Path file;
    if (o.kubeconfig() != null) {
      file = o.kubeconfig();
    } else {
      String env = o.environment().get("KUBECONFIG");
      file = env != null && !env.isBlank()
          ? Path.of(env.split(File.pathSeparator)[0])
          : Path.of(System.getProperty("user.home"), ".kube", "config");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigurationException(
          "No kubeconfig at " + file + ".",
          "Start minikube (minikube start writes it), or point KUBECONFIG or <kubeconfig> (-Dllmstack.kubeconfig) at one.");
    }
    return file;
  }

  /** Exact names or globs with '*' (kind-*). */
  public static boolean isAllowed(String context, List<String> allowed) {
    for (String pattern : allowed) {
      String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
      if (context.matches(regex)) {
        return true;
      }
    }
    return false;
  }

}
