package dev.llmstack.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What lets deploy tell, from two small reads, that applying would change nothing. The ApplySet
 * parent records, after each full deploy:
 *
 * <ul>
 *   <li>{@value #INPUTS}: a digest of everything the applied objects were made from — the rendered
 *       overlay (kustomize's output, byte for byte), the built images' references, stack, namespace
 *       and the plugin itself;
 *   <li>{@value #MEMBERS}: a digest of the state each member was left in: its UID and its
 *       {@code metadata.generation} (which the API server raises on every change to the spec, by
 *       anyone: kubectl edit, scale, set image), or its {@code resourceVersion} for kinds without a
 *       generation (any change at all).
 * </ul>
 *
 * <p>Equal inputs mean the same objects would be applied; equal member states mean that nobody
 * changed what was applied since. Both equal: nothing to apply. Not noticed: a change to a member's
 * labels or annotations only (they do not raise the generation) — it is not reverted until the
 * inputs change or the deploy is forced ({@code -Dllmstack.forceApply=true}).
 */
final class DeployFingerprint {

  static final String INPUTS = "llmstack.dev/deployed-inputs";
  static final String MEMBERS = "llmstack.dev/deployed-members";
  private static final String VERSION = "v1";

  /** One member's state as the API server reports it. */
  record Member(String groupKind, String namespace, String name, String uid, Long generation, String resourceVersion) {

    static Member of(HasMetadata o) {
      return new Member(Kinds.groupKind(o), Objects.toString(o.getMetadata().getNamespace(), ""), o.getMetadata().getName(),
          o.getMetadata().getUid(), o.getMetadata().getGeneration(), o.getMetadata().getResourceVersion());
    }

    String line() {
      return groupKind + " " + namespace + " " + name + " " + uid + " "
          + (generation != null ? "g" + generation : "r" + resourceVersion);
    }
  }

  private DeployFingerprint() {}

  static String inputs(String tooling, String stack, String namespace, String rendered, Map<String, String> builtImages) {
    MessageDigest sha = sha256();
    field(sha, "version", VERSION);
    field(sha, "tooling", tooling);
    field(sha, "code", codeVersion());
    field(sha, "stack", stack);
    field(sha, "namespace", namespace);
    field(sha, "rendered", rendered);
    new TreeMap<>(builtImages).forEach((repository, reference) -> field(sha, "image " + repository, reference));
    return VERSION + ":" + HexFormat.of().formatHex(sha.digest());
  }

  static String members(Collection<Member> members) {
    MessageDigest sha = sha256();
    field(sha, "version", VERSION);
    TreeSet<String> lines = new TreeSet<>();
    members.forEach(m -> lines.add(m.line()));
    lines.forEach(line -> field(sha, "member", line));
    return VERSION + ":" + members.size() + ":" + HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The plugin jar's size and time: a rebuilt snapshot of the plugin may apply other objects from
   * the same inputs, so it does not trust what an earlier build recorded.
   */
  static String codeVersion() {
    try {
      Path code = Path.of(DeployFingerprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(code) ? code.getFileName() + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis() : "classes";
    } catch (URISyntaxException | java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void field(MessageDigest sha, String key, String value) {
    for (String s : new String[] {key, String.valueOf(value)}) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      sha.update(bytes);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
