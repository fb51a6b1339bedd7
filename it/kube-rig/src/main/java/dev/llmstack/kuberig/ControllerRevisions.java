package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.ClusterState.templateLabels;

/**
 * The history StatefulSets and DaemonSets keep of their templates
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/controller-revision-v1/): one {@code apps/v1}
 * ControllerRevision {@code <owner>-<hash10>} per template, {@code revision: n} (one more than the newest; a template
 * that comes back raises its revision to the next number), {@code data} = the template as a patch
 * ({@code {spec: {template: {..., $patch: replace}}}}), labels = the template's + {@code controller.kubernetes.io/hash},
 * controller reference to the owner. History beyond {@code revisionHistoryLimit} (default 10) that no pod uses and
 * that is neither current nor the update revision is deleted, oldest first.
 */
final class ControllerRevisions {

  static final String HASH_LABEL = "controller.kubernetes.io/hash";

  private final ClusterWriter writer;

  ControllerRevisions(ClusterWriter writer) {
    this.writer = writer;
  }

  /** {@code <owner>-<hash of the template>}. */
  static String nameFor(HasMetadata owner, PodTemplateSpec template) {
    return owner.getMetadata().getName() + "-" + Names.hash(template);
  }

  /**
   * Makes the template's revision exist and be the newest.
   *
   * @return whether anything was written (the caller waits for the next pass)
   */
  boolean ensure(HasMetadata owner, PodTemplateSpec template, List<ControllerRevision> owned) {
    final String name = nameFor(owner, template);
    final long newest = owned.stream().mapToLong(ControllerRevisions::revision).max().orElse(0);
    final ControllerRevision existing = owned.stream().filter(r -> name.equals(r.getMetadata().getName()))
        .findFirst().orElse(null);
    if (existing == null) {
      final Map<String, String> labels = new LinkedHashMap<>(templateLabels(template));
      labels.put(HASH_LABEL, name.substring(owner.getMetadata().getName().length() + 1));
      final Map<String, Object> templatePatch = new LinkedHashMap<>(
          Serialization.jsonMapper().convertValue(template, Map.class));
      templatePatch.put("$patch", "replace");
      writer.create(new ControllerRevisionBuilder().withNewMetadata().withName(name)
          .withNamespace(owner.getMetadata().getNamespace()).withLabels(labels)
          .withOwnerReferences(ClusterWriter.controllerReference(owner)).endMetadata()
          .withData(Map.of("spec", Map.of("template", templatePatch))).withRevision(newest + 1).build());
      return true;
    }
    if (revision(existing) < newest) {
      existing.setRevision(newest + 1);
      return writer.update(existing);
    }
    return false;
  }

  /** Deletes history beyond the limit; {@code live} names the revisions in use. */
  boolean truncate(List<ControllerRevision> owned, Set<String> live, Integer revisionHistoryLimit) {
    final int limit = revisionHistoryLimit == null ? 10 : revisionHistoryLimit;
    final List<ControllerRevision> history = owned.stream().filter(r -> !live.contains(r.getMetadata().getName()))
        .sorted(Comparator.comparingLong(ControllerRevisions::revision)).collect(Collectors.toList());
    if (history.size() <= limit) {
      return false;
    }
    history.subList(0, history.size() - limit).forEach(writer::delete);
    return true;
  }

  static long revision(ControllerRevision r) {
    return r.getRevision() == null ? 0 : r.getRevision();
  }
}
