package dev.llmstack.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kube.ApiFailures;
import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.Preferences;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    io.fabric8.kubernetes.api.model.Config kubeconfig;
    try {
      kubeconfig = readKubeconfig(selected.file());
    } catch (IOException | RuntimeException e) {
      throw KubeContext.unreadable(selected.file(), Causes.rootMessage(e));
    }
    Config config = clientConfig(kubeconfig, context);
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
    String namespace = config.getNamespace() == null ? "default" : config.getNamespace();
    log.debug("Connected to " + config.getMasterUrl() + " (context " + context + ")");
    return new Connection(client, context, namespace, config.getMasterUrl());
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

  /**
   * The kubeconfig in fabric8's model, read with a plain YAML mapper: fabric8's own reader
   * (KubeConfigUtils.parseConfig) first registers every model class it knows, ~0.3 s of each deploy.
   * Extensions are skipped (informational, e.g. minikube's provider note; fabric8 reads them into
   * any registered kind, which is what costs). Like fabric8's reader, each context, cluster and user
   * remembers its file, against which relative certificate paths resolve.
   */
  static io.fabric8.kubernetes.api.model.Config readKubeconfig(Path file) throws IOException {
    io.fabric8.kubernetes.api.model.Config kubeconfig = KubeconfigReader.YAML.readValue(file.toFile(), io.fabric8.kubernetes.api.model.Config.class);
    if (kubeconfig == null) {
      throw new IOException("it is empty");
    }
    File source = file.toFile();
    Optional.ofNullable(kubeconfig.getContexts()).ifPresent(all -> all.forEach(c -> c.getAdditionalProperties().put(CONTEXT_FILE, source)));
    Optional.ofNullable(kubeconfig.getClusters()).ifPresent(all -> all.forEach(c -> c.getAdditionalProperties().put(CLUSTER_FILE, source)));
    Optional.ofNullable(kubeconfig.getUsers()).ifPresent(all -> all.forEach(u -> u.getAdditionalProperties().put(USER_FILE, source)));
    return kubeconfig;
  }

  /** What fabric8's Config.fromKubeconfig(context, file) makes, from a kubeconfig read already. */
  static Config clientConfig(io.fabric8.kubernetes.api.model.Config kubeconfig, String context) {
    Config config = Config.empty();
    KubeConfigUtils.merge(config, context, kubeconfig);
    return config;
  }

  // The keys fabric8's KubeConfigUtils reads a context's, cluster's and user's file from.
  private static final String CONTEXT_FILE = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";
  private static final String CLUSTER_FILE = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
  private static final String USER_FILE = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";

  @JsonIgnoreProperties(value = "extensions", ignoreUnknown = true)
  private interface WithoutExtensions {}

  // a holder: the no-change check reads the kubeconfig without Jackson's databind, but uses this class
  private static final class KubeconfigReader {
    static final ObjectMapper YAML =
        YAMLMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(io.fabric8.kubernetes.api.model.Config.class, WithoutExtensions.class)
            .addMixIn(Cluster.class, WithoutExtensions.class)
            .addMixIn(Context.class, WithoutExtensions.class)
            .addMixIn(AuthInfo.class, WithoutExtensions.class)
            .addMixIn(Preferences.class, WithoutExtensions.class)
            .build();
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
