package dev.llmstack.apply;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kube.Kinds;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Who owns an object deploy is about to apply, decided before anything is applied: deploy applies
 * only to objects that do not exist yet, are members of this stack's ApplySet, or are adopted
 * explicitly ({@code <adopt>}). Anything else belongs to someone else (a hand-made object, another
 * stack, a Helm release) and a forced server-side apply would silently take it over, then
 * undeploy would delete it. A Namespace that exists is used as it is, never adopted: deleting it
 * would delete everything in it.
 */
public final class Ownership {

  /** The {@code <adopt>} entry that adopts everything. */
  public static final String ALL = "*";

  /** What deploy does with one rendered object. */
  enum Decision { CREATE, UPDATE, ADOPT, USE_EXISTING_NAMESPACE, REFUSE }

  private final String applySetId;
  private final List<String> adopt;

  /**
   * @param adopt {@code Kind/name} or {@code Kind/namespace/name} entries (kind case-insensitive,
   *     {@code Deployment} or {@code Deployment.apps}), or {@link #ALL}
   */
  Ownership(String applySetId, List<String> adopt) {
    this.applySetId = applySetId;
    this.adopt = List.copyOf(adopt);
  }

  /** Checks an {@code <adopt>} entry's form; the error names the parameter. */
  public static void checkAdoptEntry(String entry) {
    String[] parts = entry.split("/", -1);
    if (!entry.equals(ALL) && (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(String::isBlank))) {
      throw new ConfigurationException(
          "<adopt> (-Dllmstack.adopt) has the entry '" + entry + "', which is not Kind/name, Kind/namespace/name or *.",
          "Write each object to adopt as Kind/name, e.g. -Dllmstack.adopt=Service/dev-postgres,ConfigMap/dev-app-config.");
    }
  }

  /**
   * @param rendered the object as deploy would apply it (namespace set)
   * @param live the object in the cluster, or null
   */
  Decision decide(HasMetadata rendered, HasMetadata live) {
    if (live == null) {
      return Decision.CREATE;
    }
    if (isMember(live)) {
      return Decision.UPDATE;
    }
    if (rendered instanceof Namespace) {
      return Decision.USE_EXISTING_NAMESPACE;
    }
    return adopts(rendered) ? Decision.ADOPT : Decision.REFUSE;
  }

  boolean isMember(HasMetadata live) {
    Map<String, String> labels = live.getMetadata().getLabels();
    return labels != null && applySetId.equals(labels.get(ApplySet.PART_OF));
  }

  private boolean adopts(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    for (String entry : adopt) {
      if (entry.equals(ALL)) {
        return true;
      }
      String[] parts = entry.split("/");
      String kind = parts[0];
      boolean kindMatches = kind.equalsIgnoreCase(o.getKind()) || kind.equalsIgnoreCase(Kinds.groupKind(o));
      boolean nameMatches = parts[parts.length - 1].equals(o.getMetadata().getName());
      boolean namespaceMatches = parts.length == 2 || parts[1].equals(ns);
      if (kindMatches && nameMatches && namespaceMatches) {
        return true;
      }
    }
    return false;
  }

  /** Who the live object belongs to, for the refusal and the adoption line. */
  static String owner(HasMetadata live) {
    Map<String, String> labels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
    Map<String, String> annotations = live.getMetadata().getAnnotations() == null ? Map.of() : live.getMetadata().getAnnotations();
    if (labels.containsKey(ApplySet.PART_OF)) {
      String stack = labels.get(StackDecorator.STACK);
      return stack != null
          ? "a member of stack '" + stack + "' (another ApplySet, " + labels.get(ApplySet.PART_OF) + ")"
          : "a member of another ApplySet (" + labels.get(ApplySet.PART_OF) + ")";
    }
    if ("Helm".equals(labels.get(StackDecorator.MANAGED_BY)) && annotations.containsKey("meta.helm.sh/release-name")) {
      return "Helm release '" + annotations.get("meta.helm.sh/release-name") + "'";
    }
    List<ManagedFieldsEntry> managers = live.getMetadata().getManagedFields();
    TreeSet<String> names = new TreeSet<>();
    if (managers != null) {
      // who wrote the object, not the controllers that write its status
      managers.stream().filter(m -> m.getSubresource() == null || m.getSubresource().isEmpty())
          .map(ManagedFieldsEntry::getManager).filter(Objects::nonNull).forEach(names::add);
    }
    if (!names.isEmpty()) {
      return "managed by " + String.join(", ", names) + " (field managers)";
    }
    return "no recorded owner";
  }

  /** The refusal: every object deploy would take over, who owns each, and how to go on. Nothing was applied. */
  static ConfigurationException refusal(String stack, List<HasMetadata> refused) {
    List<String> described = new ArrayList<>();
    List<String> adoptEntries = new ArrayList<>();
    for (HasMetadata o : refused) {
      String ns = o.getMetadata().getNamespace();
      described.add(o.getKind() + " " + o.getMetadata().getName() + (ns == null ? "" : " in namespace " + ns) + ": " + owner(o));
      adoptEntries.add(o.getKind() + "/" + o.getMetadata().getName());
    }
    boolean one = refused.size() == 1;
    return new ConfigurationException(
        "Deploy would take over " + refused.size() + (one ? " object" : " objects") + " that stack '" + stack + "' does not own: "
            + String.join("; ", described) + ". Nothing was applied.",
        "Delete or rename " + (one ? "it" : "them") + " (or give this stack another <stack> name if another stack uses the same"
            + " names), or adopt " + (one ? "it" : "them") + " into this stack, after which undeploy deletes " + (one ? "it" : "them")
            + ": -Dllmstack.adopt=" + String.join(",", adoptEntries) + " (or -Dllmstack.adopt=* for every object).");
  }
}
