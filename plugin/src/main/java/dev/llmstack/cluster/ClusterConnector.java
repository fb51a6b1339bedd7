package dev.llmstack.cluster;

import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
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
    Path file = kubeconfigFile(o);
    io.fabric8.kubernetes.api.model.Config kubeconfig;
    try {
      kubeconfig = KubeConfigUtils.parseConfig(file.toFile());
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "The kubeconfig " + file + " cannot be read: " + e.getMessage() + ".", "Fix or regenerate it (minikube update-context).");
    }
    String context = o.context() != null ? o.context() : kubeconfig.getCurrentContext();
    List<String> known = kubeconfig.getContexts() == null ? List.of() : kubeconfig.getContexts().stream().map(NamedContext::getName).toList();
    if (context == null || context.isBlank()) {
      throw new ConfigurationException(
          "The kubeconfig " + file + " has no current context.",
          "Select one (kubectl config use-context minikube) or set <context> (-Dllmstack.context).");
    }
    if (!known.contains(context)) {
      throw new ConfigurationException(
          "Kube context '" + context + "' is not in " + file + " (it has " + known + ").",
          "Start the cluster (minikube start), or set <context> (-Dllmstack.context) to one of those.");
    }
    if (!isAllowed(context, o.allowedContexts())) {
      throw new ConfigurationException(
          "Kube context '" + context + "' is not in allowedContexts " + o.allowedContexts() + ".",
          "Switch context (kubectl config use-context minikube) or add it to <allowedContexts>.");
    }
    Config config = Config.fromKubeconfig(context, file.toFile());
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(30_000);
    // A stopped cluster should be reported at once, not after fabric8's retries with backoff.
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      client.namespaces().withName(config.getNamespace() == null ? "default" : config.getNamespace()).get();
    } catch (RuntimeException e) {
      client.close();
      throw new ConfigurationException(
          "The API server of context '" + context + "' (" + config.getMasterUrl() + ") is not reachable: " + Causes.rootMessage(e) + ".",
          "Start the cluster (minikube start" + (context.equals("minikube") ? "" : " -p " + context) + ") or check the context.");
    }
    String namespace = config.getNamespace() == null ? "default" : config.getNamespace();
    log.debug("Connected to " + config.getMasterUrl() + " (context " + context + ")");
    return new Connection(client, context, namespace, config.getMasterUrl());
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
