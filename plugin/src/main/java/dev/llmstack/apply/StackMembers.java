package dev.llmstack.apply;


import dev.llmstack.kube.Kinds;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists an ApplySet's members: objects of the recorded group-kinds with its part-of label. Only
 * those that also carry the stack's labels count, so nothing foreign is ever pruned or deleted.
 */
public final class StackMembers {

  private StackMembers() {}

  static List<HasMetadata> list(
      KubernetesClient client, ApplySet applySet, String stack, Collection<String> groupKinds, Collection<String> namespaces, BuildLog log) {
    return list(client, new ResourceTypes(client, List.of()), applySet, stack, groupKinds, namespaces, log);
  }

  /** The members, custom resources included (listed at the version the server prefers). */
  static List<HasMetadata> list(KubernetesClient client, ResourceTypes types, ApplySet applySet, String stack,
      Collection<String> groupKinds, Collection<String> namespaces, BuildLog log) {
    List<String> builtIn = groupKinds.stream().filter(gk -> Kinds.type(gk).isPresent()).toList();
    List<HasMetadata> members = new ArrayList<>(StackMembers.<HasMetadata>collect(stack, builtIn, namespaces, log, (type, ns) -> ns == null
        ? client.resources(type).withLabel(ApplySet.PART_OF, applySet.id()).list().getItems()
        : client.resources(type).inNamespace(ns).withLabel(ApplySet.PART_OF, applySet.id()).list().getItems()));
    for (String gk : groupKinds) {
      if (Kinds.type(gk).isPresent()) {
        continue;
      }
      Optional<ResourceDefinitionContext> context = types.forGroupKind(gk);
      if (context.isEmpty()) {
        log.debug("No " + gk + " objects to list: the API server does not serve that kind (any more)");
        continue;
      }
      var resources = client.genericKubernetesResources(context.get());
      List<GenericKubernetesResource> found = new ArrayList<>();
      if (context.get().isNamespaceScoped()) {
        namespaces.forEach(ns -> found.addAll(resources.inNamespace(ns).withLabel(ApplySet.PART_OF, applySet.id()).list().getItems()));
      } else {
        found.addAll(resources.withLabel(ApplySet.PART_OF, applySet.id()).list().getItems());
      }
      found.stream().filter(m -> hasStackLabels(m, stack)).forEach(members::add);
    }
    return members;
  }

  /** Lists one kind's objects with the ApplySet's label, in a namespace or (null) cluster-wide. */
  public interface Lister<T> {
    List<? extends T> list(Class<? extends HasMetadata> type, String namespace);
  }

  /** The members of the built-in group-kinds (Kinds' table; others are skipped), through the lister. */
  public static <T extends HasMetadata> List<T> collect(
      String stack, Collection<String> groupKinds, Collection<String> namespaces, BuildLog log, Lister<T> lister) {
    List<T> members = new ArrayList<>();
    for (String gk : groupKinds) {
      Optional<Class<? extends HasMetadata>> type = Kinds.type(gk);
      if (type.isEmpty()) {
        log.debug("The no-change check does not list " + gk + " objects");
        continue;
      }
      if (!Namespaced.class.isAssignableFrom(type.get())) {
        members.addAll(lister.list(type.get(), null));
      } else {
        for (String ns : namespaces) {
          members.addAll(lister.list(type.get(), ns));
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
