package dev.llmstack.deploy;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.digest.FieldDigest;
import dev.llmstack.kube.Kinds;
import dev.llmstack.rollout.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What lets deploy tell, from two small reads, that applying and waiting would change nothing.
 * After each full deploy whose workloads all became ready, the ApplySet parent records (and the
 * next apply drops, until its deploy is ready in turn):
 *
 * <ul>
 *   <li>{@value #INPUTS}: a digest of everything the applied objects were made from — the rendered
 *       overlay (kustomize's output, byte for byte), the built images' references, stack, namespace
 *       and the plugin itself;
 *   <li>{@value #OVERLAY}: the same for the rendered overlay alone (with stack and plugin), known
 *       before the images are built: an overlay rendered to these bytes was parsed and checked by
 *       this plugin already, so deploy does not parse it again before it builds;
 *   <li>{@value #MEMBERS}: a digest of the state each member was left in: its UID and, for a
 *       workload, its {@code resourceVersion} when it was ready (any change since, by anyone, to its
 *       spec or its status — a crashed pod changes its counts — is a difference); for any other
 *       member its {@code metadata.generation} (raised on every change to the spec: kubectl edit,
 *       scale, set image), or its {@code resourceVersion} for kinds without a generation.
 * </ul>
 *
 * <p>Equal inputs mean the same objects would be applied; equal member states mean that nothing
 * changed since the stack was ready. Both equal: nothing to apply, nothing to wait for. Not noticed:
 * a change to a non-workload's labels or annotations only (they do not raise the generation) — it
 * is not reverted until the inputs change or the deploy is forced ({@code -Dllmstack.forceApply=true}).
 */
final class DeployFingerprint {

  static final String INPUTS = "llmstack.dev/deployed-inputs";
  static final String MEMBERS = "llmstack.dev/deployed-members";
  static final String OVERLAY = "llmstack.dev/deployed-overlay";
  private static final String VERSION = "v3";

  /** One member's state as the API server reports it. */
  record Member(String groupKind, String namespace, String name, String uid, Long generation, String resourceVersion) {

    static Member of(HasMetadata o) {
      boolean workload = WorkloadKind.of(o).filter(WorkloadKind::isWaitedFor).isPresent();
      return new Member(Kinds.groupKind(o), Objects.toString(o.getMetadata().getNamespace(), ""), o.getMetadata().getName(),
          o.getMetadata().getUid(), workload ? null : o.getMetadata().getGeneration(), o.getMetadata().getResourceVersion());
    }

    String line() {
      return groupKind + " " + namespace + " " + name + " " + uid + " "
          + (generation != null ? "g" + generation : "r" + resourceVersion);
    }
  }

  /** What the last full deploy recorded on the ApplySet parent. */
  record Recorded(String inputs, String overlay, String members) {

    /** The parent's record, if it has one. */
    static Optional<Recorded> on(Secret parent) {
      Map<String, String> annotations = parent == null || parent.getMetadata().getAnnotations() == null
          ? Map.of()
          : parent.getMetadata().getAnnotations();
      String inputs = annotations.get(INPUTS);
      String overlay = annotations.get(OVERLAY);
      String members = annotations.get(MEMBERS);
      return inputs == null || overlay == null || members == null
          ? Optional.empty()
          : Optional.of(new Recorded(inputs, overlay, members));
    }

    Map<String, String> annotations() {
      return Map.of(INPUTS, inputs, OVERLAY, overlay, MEMBERS, members);
    }
  }

  private DeployFingerprint() {}

  /**
   * Records the fingerprint on the stack's ApplySet parent, once the members are as deploy leaves
   * them (its workloads ready).
   */
  static void record(StackApplier applier, String inputs, String overlay, Collection<? extends HasMetadata> members) {
    applier.annotateRecord(new Recorded(inputs, overlay, members(members.stream().map(Member::of).toList())).annotations());
  }

  static String overlay(String tooling, String stack, String rendered) {
    return VERSION + ":" + new FieldDigest()
        .field("version", VERSION)
        .field("tooling", String.valueOf(tooling))
        .field("code", codeVersion())
        .field("stack", String.valueOf(stack))
        .field("rendered", String.valueOf(rendered))
        .hex();
  }

  static String inputs(String tooling, String stack, String namespace, String rendered, Map<String, String> builtImages) {
    FieldDigest digest = new FieldDigest()
        .field("version", VERSION)
        .field("tooling", String.valueOf(tooling))
        .field("code", codeVersion())
        .field("stack", String.valueOf(stack))
        .field("namespace", String.valueOf(namespace))
        .field("rendered", String.valueOf(rendered));
    new TreeMap<>(builtImages).forEach((repository, reference) -> digest.field("image " + repository, String.valueOf(reference)));
    return VERSION + ":" + digest.hex();
  }

  static String members(Collection<Member> members) {
    FieldDigest digest = new FieldDigest().field("version", VERSION);
    new TreeSet<>(members.stream().map(Member::line).toList()).forEach(line -> digest.field("member", line));
    return VERSION + ":" + members.size() + ":" + digest.hex();
  }

  /**
   * The plugin jar's size and time: a rebuilt snapshot of the plugin may apply other objects from
   * the same inputs, so it does not trust what an earlier build recorded.
   */
  static String codeVersion() {
    try {
      Path code = Path.of(DeployFingerprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(code) ? code.getFileName() + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis() : "classes";
    } catch (URISyntaxException | IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
