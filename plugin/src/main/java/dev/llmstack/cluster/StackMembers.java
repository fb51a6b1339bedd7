package dev.llmstack.cluster;

import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists an ApplySet's members: objects of the recorded group-kinds with its part-of label. Only
 * those that also carry the stack's labels count, so nothing foreign is ever pruned or deleted.
 */
final class StackMembers {

  private StackMembers() {}

  static List<HasMetadata> list(
      KubernetesClient client, ApplySet applySet, String stack, Collection<String> groupKinds, Collection<String> namespaces, BuildLog log) {
    List<HasMetadata> members = new ArrayList<>();
    for (String gk : groupKinds) {
      Optional<Class<? extends HasMetadata>> type = Kinds.type(gk);
      if (type.isEmpty()) {
        log.warn("Cannot list " + gk + " objects of the stack: that kind is not supported; remove leftovers by hand.");
        continue;
      }
      if (Kinds.isClusterScoped(gk)) {
        members.addAll(client.resources(type.get()).withLabel(ApplySet.PART_OF, applySet.id()).list().getItems());
      } else {
        for (String ns : namespaces) {
          members.addAll(client.resources(type.get()).inNamespace(ns).withLabel(ApplySet.PART_OF, applySet.id()).list().getItems());
        }
      }
    }
    members.removeIf(m -> !hasStackLabels(m, stack));
    return members;
  }

  static boolean hasStackLabels(HasMetadata o, String stack) {
    Map<String, String> labels = o.getMetadata().getLabels();
    return labels != null
        && StackDecorator.MANAGED_BY_VALUE.equals(labels.get(StackDecorator.MANAGED_BY))
        && stack.equals(labels.get(StackDecorator.STACK));
  }
}
