package dev.llmstack.maven;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.RegistryCredential;
import dev.llmstack.image.RegistrySettings;
import dev.llmstack.log.BuildLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** Mirrors, insecure registries and settings.xml logins, as the core wants them. */
final class RegistryParameters {

  private RegistryParameters() {}

  static RegistrySettings settings(
      List<String> mirrors, List<String> insecure, Settings settings, SettingsDecrypter decrypter, BuildLog log) {
    return new RegistrySettings(parseMirrors(mirrors), new HashSet<>(trimmed(insecure)), credentials(settings, decrypter, log));
  }

  static Map<String, List<String>> parseMirrors(List<String> entries) {
    Map<String, List<String>> mirrors = new LinkedHashMap<>();
    for (String entry : trimmed(entries)) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new ConfigurationException(
            "Registry mirror '" + entry + "' is not of the form registry=mirror.",
            "Write each <registryMirror> as e.g. docker.io=mirror.example:5000.");
      }
      mirrors.computeIfAbsent(entry.substring(0, eq).trim(), k -> new ArrayList<>()).add(entry.substring(eq + 1).trim());
    }
    return mirrors;
  }

  /** settings.xml {@code <server>} entries whose id is a registry host, passwords decrypted. */
  private static Map<String, RegistryCredential> credentials(Settings settings, SettingsDecrypter decrypter, BuildLog log) {
    Map<String, RegistryCredential> credentials = new LinkedHashMap<>();
    if (settings == null) {
      return credentials;
    }
    for (Server server : settings.getServers()) {
      if (server.getUsername() == null || server.getPassword() == null) {
        continue;
      }
      SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : result.getProblems()) {
        log.warn("settings.xml server '" + server.getId() + "': " + problem.getMessage());
      }
      Server decrypted = result.getServer() == null ? server : result.getServer();
      credentials.put(
          server.getId(),
          new RegistryCredential(decrypted.getUsername(), decrypted.getPassword(), "settings.xml server '" + server.getId() + "'"));
    }
    return credentials;
  }

  private static List<String> trimmed(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
  }
}
