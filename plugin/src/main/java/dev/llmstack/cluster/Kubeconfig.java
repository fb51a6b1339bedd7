package dev.llmstack.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The parts of a kubeconfig that deploy's no-change check needs to reach the API server without
 * fabric8: server, CA, bearer token or client certificate. Anything else a kubeconfig can ask for
 * (exec plugins, auth providers, proxies, impersonation, basic auth, token files) makes it give up,
 * and the full path (fabric8) handles the cluster as always. It never reports errors either: a
 * kubeconfig it cannot read is the full path's to explain.
 */
final class Kubeconfig {

  /**
   * What to connect to.
   *
   * @param namespace the context's namespace, or null
   * @param ca PEM certificates to trust, or null for the JDK's trust store
   */
  record Target(
      String context, String server, String namespace, byte[] ca, boolean insecure, String token, byte[] clientCert,
      byte[] clientKey) {}

  private static final Set<String> CLUSTER_FIELDS =
      Set.of("server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify", "extensions");
  private static final Set<String> USER_FIELDS =
      Set.of("token", "client-certificate", "client-certificate-data", "client-key", "client-key-data", "extensions");

  private Kubeconfig() {}

  /** @param context the context to use, or null for the current one */
  static Optional<Target> read(Path file, String context) {
    try {
      Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      String name = context != null ? context : string(root, "current-context");
      if (name == null || name.isBlank()) {
        return Optional.empty();
      }
      Map<?, ?> ctx = named(root, "contexts", name, "context");
      if (ctx == null) {
        return Optional.empty();
      }
      Map<?, ?> cluster = named(root, "clusters", string(ctx, "cluster"), "cluster");
      Map<?, ?> user = named(root, "users", string(ctx, "user"), "user");
      if (cluster == null || !CLUSTER_FIELDS.containsAll(keys(cluster))
          || (user != null && !USER_FIELDS.containsAll(keys(user)))) {
        return Optional.empty();
      }
      String server = string(cluster, "server");
      if (server == null || !(server.startsWith("https://") || server.startsWith("http://"))) {
        return Optional.empty();
      }
      Path dir = file.toAbsolutePath().getParent();
      byte[] ca = data(cluster, "certificate-authority", dir);
      byte[] cert = user == null ? null : data(user, "client-certificate", dir);
      byte[] key = user == null ? null : data(user, "client-key", dir);
      if ((cert == null) != (key == null)) {
        return Optional.empty();
      }
      return Optional.of(new Target(
          name,
          server,
          string(ctx, "namespace"),
          ca,
          Boolean.TRUE.equals(cluster.get("insecure-skip-tls-verify")),
          user == null ? null : string(user, "token"),
          cert,
          key));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code <field>-data} (base64) or {@code <field>} (a file, relative to the kubeconfig's directory). */
  private static byte[] data(Map<?, ?> section, String field, Path dir) throws IOException {
    String inline = string(section, field + "-data");
    if (inline != null && !inline.isBlank()) {
      return Base64.getMimeDecoder().decode(inline.trim());
    }
    String path = string(section, field);
    if (path == null || path.isBlank()) {
      return null;
    }
    Path p = Path.of(path);
    return Files.readAllBytes(p.isAbsolute() || dir == null ? p : dir.resolve(p));
  }

  /** The {@code inner} map of the entry called {@code name} in the list {@code list}. */
  private static Map<?, ?> named(Object root, String list, String name, String inner) {
    if (name == null || !(root instanceof Map<?, ?> m) || !(m.get(list) instanceof List<?> entries)) {
      return null;
    }
    Map<?, ?> found = null;
    for (Object e : entries) {
      if (e instanceof Map<?, ?> entry && name.equals(entry.get("name"))) {
        found = entry.get(inner) instanceof Map<?, ?> section ? section : null;
      }
    }
    return found;
  }

  private static Set<?> keys(Map<?, ?> m) {
    return m.keySet();
  }

  private static String string(Object from, String key) {
    Object v = from instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof String s ? s : null;
  }
}
