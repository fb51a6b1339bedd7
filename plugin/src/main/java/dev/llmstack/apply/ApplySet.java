package dev.llmstack.apply;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The record of what a deploy applied, as a KEP-3659 ApplySet: a parent Secret (no data) whose
 * ID label every member carries, and whose annotations list the member group-kinds. kubectl's
 * {@code apply --prune --applyset=secret/<name>} reads the same labels and annotations.
 */
public final class ApplySet {

  public static final String ID = "applyset.kubernetes.io/id";
  public static final String PART_OF = "applyset.kubernetes.io/part-of";
  public static final String TOOLING = "applyset.kubernetes.io/tooling";
  public static final String GROUP_KINDS = "applyset.kubernetes.io/contains-group-kinds";
  public static final String ADDITIONAL_NAMESPACES = "applyset.kubernetes.io/additional-namespaces";

  private final String name;
  private final String namespace;

  public ApplySet(String stack, String namespace) {
    this.name = "llmstack-" + stack;
    this.namespace = namespace;
  }

  public String name() {
    return name;
  }

  public String namespace() {
    return namespace;
  }

  /** {@code applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1}, as KEP-3659 defines it. */
  public String id() {
    String key = name + "." + namespace + ".Secret.";
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "applyset-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash) + "-v1";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Secret parent(Collection<String> groupKinds, Collection<String> namespaces, String tooling, Map<String, String> stackLabels) {
    return parent(groupKinds, namespaces, tooling, stackLabels, Map.of());
  }

  /** @param extraAnnotations more annotations for the parent, e.g. deploy's fingerprint */
  public Secret parent(
      Collection<String> groupKinds, Collection<String> namespaces, String tooling, Map<String, String> stackLabels,
      Map<String, String> extraAnnotations) {
    Map<String, String> labels = new LinkedHashMap<>(stackLabels);
    labels.put(ID, id());
    Map<String, String> annotations = new LinkedHashMap<>(new TreeMap<>(extraAnnotations));
    annotations.put(TOOLING, tooling);
    annotations.put(GROUP_KINDS, String.join(",", new TreeSet<>(groupKinds)));
    Set<String> others = new TreeSet<>(namespaces);
    others.remove(namespace);
    if (!others.isEmpty()) {
      annotations.put(ADDITIONAL_NAMESPACES, String.join(",", others));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withType("Opaque")
        .build();
  }

  public static Set<String> groupKinds(Secret parent) {
    return split(parent, GROUP_KINDS);
  }

  public static Set<String> additionalNamespaces(Secret parent) {
    return split(parent, ADDITIONAL_NAMESPACES);
  }

  private static Set<String> split(Secret parent, String annotation) {
    if (parent == null || parent.getMetadata().getAnnotations() == null) {
      return Set.of();
    }
    String value = parent.getMetadata().getAnnotations().getOrDefault(annotation, "");
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
  }
}
