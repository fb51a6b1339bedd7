package dev.llmstack.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How registries are reached: mirrors per registry, registries allowed over HTTP or with untrusted
 * certificates, and logins (from settings.xml; Docker config is consulted by Jib itself).
 */
public record RegistrySettings(
    Map<String, List<String>> mirrors,
    Set<String> insecureRegistries,
    Map<String, RegistryCredential> credentials) {

  public RegistrySettings {
    mirrors = Map.copyOf(mirrors);
    insecureRegistries = Set.copyOf(insecureRegistries);
    credentials = Map.copyOf(credentials);
  }

  public static RegistrySettings none() {
    return new RegistrySettings(Map.of(), Set.of(), Map.of());
  }

  public Optional<RegistryCredential> credentialFor(String registry) {
    return Optional.ofNullable(credentials.get(registry));
  }

  /** Mirrors configured for a registry; Docker Hub may be named docker.io or registry-1.docker.io. */
  public List<String> mirrorsOf(String registry) {
    List<String> direct = mirrors.get(registry);
    if (direct != null) {
      return direct;
    }
    if (isDockerHub(registry)) {
      for (String alias : List.of("docker.io", "registry-1.docker.io", "index.docker.io")) {
        if (mirrors.containsKey(alias)) {
          return mirrors.get(alias);
        }
      }
    }
    return List.of();
  }

  public boolean isInsecure(String registry) {
    return insecureRegistries.contains(registry);
  }

  static boolean isDockerHub(String registry) {
    return registry.equals("docker.io")
        || registry.equals("registry-1.docker.io")
        || registry.equals("index.docker.io");
  }
}
