package dev.llmstack.kube;

import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The kubeconfig context a goal works in, chosen and checked before anything is sent: it must
 * exist and be one of the allowed contexts (a production context must never get the stack by
 * accident). Read as plain YAML: both ways to the cluster start from it.
 *
 * @param cluster the context's cluster entry as written (server, certificate-authority, ...)
 * @param user the context's user entry as written (token, client-certificate, exec, ...)
 */
public record KubeContext(Path file, String name, String namespace, Map<String, Object> cluster, Map<String, Object> user) {

  private static final Set<String> STATIC_CLUSTER_KEYS =
      Set.of("server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify", "extensions", "disable-compression");
  private static final Set<String> STATIC_USER_KEYS =
      Set.of("token", "client-certificate", "client-certificate-data", "client-key", "client-key-data", "username", "password", "extensions");

  /** The context to work in (its cluster and user entries as written), checked against the allowed contexts. */
  public static KubeContext select(ClusterConnector.Options o) {
    Path file = ClusterConnector.kubeconfigFile(o);
    Map<String, Object> kubeconfig;
    try (Reader in = Files.newBufferedReader(file)) {
      LoaderOptions options = new LoaderOptions();
      DumperOptions unused = new DumperOptions();
      Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(unused), unused, options, new TextScalars());
      kubeconfig = map(yaml.load(in));
    } catch (MarkedYAMLException e) {
      // where, not the line itself: it may hold a token or a key
      throw unreadable(file, e.getProblem() + " (line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ")");
    } catch (IOException | RuntimeException e) {
      throw unreadable(file, Causes.rootMessage(e));
    }
    String name = o.context() != null ? o.context() : string(kubeconfig.get("current-context"));
    if (name == null || name.isBlank()) {
      throw new ConfigurationException(
          "The kubeconfig " + file + " has no current context.",
          "Select one (kubectl config use-context minikube) or set <context> (-Dllmstack.context).");
    }
    List<String> known = entries(kubeconfig, "contexts").stream().map(e -> string(e.get("name"))).filter(Objects::nonNull).toList();
    if (!known.contains(name)) {
      throw new ConfigurationException(
          "Kube context '" + name + "' is not in " + file + " (it has " + known + ").",
          "Start the cluster (minikube start), or set <context> (-Dllmstack.context) to one of those.");
    }
    if (!ClusterConnector.isAllowed(name, o.allowedContexts())) {
      throw new ConfigurationException(
          "Kube context '" + name + "' is not in allowedContexts " + o.allowedContexts() + ".",
          "Switch context (kubectl config use-context minikube) or add it to <allowedContexts>.");
    }
    Map<String, Object> context = named(kubeconfig, "contexts", name, "context").orElse(Map.of());
    String namespace = string(context.get("namespace"));
    return new KubeContext(
        file,
        name,
        namespace == null || namespace.isBlank() ? "default" : namespace,
        entry(kubeconfig, file, name, context, "cluster", "clusters"),
        entry(kubeconfig, file, name, context, "user", "users"));
  }

  /**
   * The context's cluster or user entry. A context naming one the file lacks is an error of its
   * own: fabric8 would quietly fall back to https://kubernetes.default.svc and report that as unreachable.
   * A context with no user at all is anonymous (an empty entry).
   */
  private static Map<String, Object> entry(
      Map<String, Object> kubeconfig, Path file, String contextName, Map<String, Object> context, String field, String list) {
    String wanted = string(context.get(field));
    if (wanted == null || wanted.isBlank()) {
      if (field.equals("user")) {
        return Map.of();
      }
      throw new ConfigurationException(
          "Kube context '" + contextName + "' in " + file + " names no cluster.",
          "Fix the context (kubectl config set-context " + contextName + " --cluster=<cluster>) or regenerate the kubeconfig (minikube update-context).");
    }
    return named(kubeconfig, list, wanted, field).orElseThrow(() -> new ConfigurationException(
        "Kube context '" + contextName + "' in " + file + " names " + field + " '" + wanted + "', which that kubeconfig does not define"
            + " (it has " + field + "s " + entries(kubeconfig, list).stream().map(e -> string(e.get("name"))).filter(Objects::nonNull).toList() + ").",
        "Regenerate the kubeconfig (minikube update-context, or minikube start), or point the context at an existing " + field
            + " (kubectl config set-context " + contextName + " --" + field + "=<name>)."));
  }

  /**
   * Whether the context's credentials and cluster settings are static: a bearer token, a client
   * certificate, or user name and password, with the cluster's CA or insecure-skip-tls-verify (what
   * minikube, kind, k3d and Docker Desktop write). Anything else (exec plugins, auth providers,
   * token files, impersonation, a proxy, another TLS server name) needs fabric8's kubeconfig
   * handling, which runs and refreshes them.
   */
  public boolean hasStaticCredentials() {
    String server = server();
    return server != null && (server.startsWith("https://") || server.startsWith("http://"))
        && STATIC_CLUSTER_KEYS.containsAll(cluster.keySet()) && STATIC_USER_KEYS.containsAll(user.keySet());
  }

  public String server() {
    return string(cluster.get("server"));
  }

  /** A value of the cluster entry ({@code certificate-authority-data}), or null. */
  public String clusterValue(String key) {
    return string(cluster.get(key));
  }

  /** A value of the user entry ({@code token}), or null. */
  public String userValue(String key) {
    return string(user.get(key));
  }

  /** A file named in the cluster or user entry, as kubectl reads it: relative to the kubeconfig's directory; null if none. */
  public Path file(Map<String, Object> entry, String key) {
    String path = string(entry.get(key));
    return path == null ? null : resolve(path);
  }

  static ConfigurationException unreadable(Path file, String why) {
    return new ConfigurationException("The kubeconfig " + file + " cannot be read: " + why + ".", "Fix or regenerate it (minikube update-context).");
  }

  /** Which context of which file; never the cluster's and user's entries (credentials). */
  @Override
  public String toString() {
    return "context " + name + " of " + file;
  }

  /** A path as kubectl reads it: relative to the kubeconfig's directory. */
  public Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || file.getParent() == null ? p : file.getParent().resolve(p);
  }

  private static Optional<Map<String, Object>> named(Map<String, Object> kubeconfig, String list, String name, String field) {
    return entries(kubeconfig, list).stream().filter(e -> Objects.equals(name, e.get("name"))).findFirst().map(e -> map(e.get(field)));
  }

  private static List<Map<String, Object>> entries(Map<String, Object> kubeconfig, String list) {
    return kubeconfig.get(list) instanceof List<?> all ? all.stream().map(KubeContext::map).toList() : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object yaml) {
    if (yaml == null) {
      return Map.of();
    }
    if (yaml instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    // not the value itself: it may be a credential
    throw new IllegalArgumentException("a mapping was expected where it has a " + yaml.getClass().getSimpleName());
  }

  public static String string(Object value) {
    return value == null ? null : value.toString();
  }

  /**
   * Plain scalars that look like numbers or dates stay the text written, as kubectl and fabric8
   * read them into their string fields: YAML 1.1 would turn {@code password: 0123} into 83 and a
   * date-like token into a date, which the plain reads would then send.
   */
  private static final class TextScalars extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
      addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
    }
  }
}
