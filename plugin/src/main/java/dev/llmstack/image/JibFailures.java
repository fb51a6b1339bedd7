package dev.llmstack.image;

import com.github.dockerjava.api.exception.DockerException;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.error.StackFailureException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns what jib-core and the daemon throw into one sentence of cause and one of fix.
 *
 * <p>The original failure is attached as a suppressed exception, not as the cause: Maven appends
 * the message of every cause to its one-line error, which would add Jib's raw text after the fix.
 * With {@code -e} the suppressed failure's stack trace is still printed.
 */
final class JibFailures {

  private JibFailures() {}

  static LlmstackException explain(ImageSpec spec, Throwable failure, BuildRequest request) {
    LlmstackException explained = classify(spec, failure, request);
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t == explained) {
        return explained; // one of ours, thrown inside the build: already says cause and fix
      }
    }
    explained.addSuppressed(failure);
    return explained;
  }

  private static LlmstackException classify(ImageSpec spec, Throwable failure, BuildRequest request) {
    String image = "image '" + spec.name() + "'";
    String base = spec.from();
    String baseRegistry = JibSettings.parse(base).getRegistry();
    List<String> mirrors = request.registries().mirrorsOf(baseRegistry);
    String tried = mirrors.isEmpty() ? baseRegistry : "mirrors " + mirrors + ", then " + baseRegistry;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof LlmstackException known) {
        return known;
      }
      String message = String.valueOf(t.getMessage());
      String lower = message.toLowerCase(Locale.ROOT);
      if (t instanceof RegistryUnauthorizedException u) {
        String registry = JibSettings.parse(u.getImageReference()).getRegistry();
        Optional<RegistryCredential> login = request.registries().credentialFor(registry);
        if (login.isPresent()) {
          return new ConfigurationException(
              "Registry " + registry + " refused access to " + u.getImageReference() + " for " + image
                  + " with the login of " + login.get().source() + " (user '" + login.get().username()
                  + "': wrong password, or no rights to that repository).",
              "Correct the <username>/<password> of the <server> with <id>" + registry + "</id> in"
                  + " settings.xml.");
        }
        return new ConfigurationException(
            "Registry " + registry + " refused access to " + u.getImageReference() + " for " + image
                + " (no login for it, or a wrong one in your Docker config).",
            "Add a <server> with <id>" + registry + "</id> and your username/password to"
                + " ~/.m2/settings.xml, or run: docker login " + registry + ".");
      }
      if (t instanceof RegistryAuthenticationFailedException a) {
        return new ConfigurationException(
            "Registry " + a.getServerUrl() + " refused the credentials for " + image + ".",
            "Check the <server> with <id>" + a.getServerUrl() + "</id> in ~/.m2/settings.xml or your"
                + " docker login for it.");
      }
      if (t instanceof InsecureRegistryException) {
        return new ConfigurationException(
            "A registry used by " + image + " (" + tried + ") speaks plain HTTP or has an untrusted"
                + " certificate.",
            "If you trust it, add it to <insecureRegistries> (-Dllmstack.insecureRegistries=host:port).");
      }
      if (lower.contains("offline mode")) {
        String cache =
            request.baseLayersCache() == null
                ? "Jib's base layer cache"
                : "the base layer cache " + request.baseLayersCache();
        return new ConfigurationException(
            "Maven is offline (-o) and base image " + base + " of " + image + " is not in " + cache + ".",
            "Build once without -o so that the base image is cached, or set <cacheDirectory> to a"
                + " cache that holds it.");
      }
      if (lower.contains("manifest_unknown")
          || lower.contains("name_unknown")
          || lower.contains("not found")
          || lower.contains("404")) {
        return new ConfigurationException(
            "Base image " + base + " of " + image + " was not found (tried " + tried + ").",
            "Check <from> (repository and tag), and that the mirror holds the image.");
      }
      boolean unreachable =
          t instanceof UnknownHostException || t instanceof ConnectException || t instanceof SSLException;
      if (unreachable && !mirrors.isEmpty() && message.contains(baseRegistry)) {
        // Jib asks the mirrors first and falls back to the registry itself only when none of them
        // served the image; it reports only the last error, so the mirrors' "not found" is lost.
        return new ConfigurationException(
            "Base image " + base + " of " + image + " was not found: "
                + (mirrors.size() == 1 ? "mirror " + mirrors.get(0) + " does" : "mirrors " + mirrors + " do")
                + " not have it (or did not answer), and " + baseRegistry + ", tried after the mirrors, is"
                + " not reachable (" + t.getClass().getSimpleName() + ").",
            "Check <from> (repository and tag) and that the mirror holds that image; -X shows each"
                + " mirror's answer.");
      }
      if (unreachable) {
        return new ConfigurationException(
            "Base image " + base + " of " + image + " could not be pulled: a registry is not reachable"
                + " (tried " + tried + "; " + t.getClass().getSimpleName() + ": " + message + ").",
            "Check the network, or serve the base image from a mirror listed in <registryMirrors>.");
      }
      if (t instanceof DockerException) {
        return new StackFailureException(
            "The Docker daemon refused " + image + ": " + message.trim() + ".",
            "Check the daemon's log and free disk space (docker system df).");
      }
    }
    return new StackFailureException(
        "Building " + image + " failed: " + describe(Causes.root(failure)) + ".",
        "Run with -e or -X for the details.");
  }

  private static String describe(Throwable root) {
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
