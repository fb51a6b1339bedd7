package dev.llmstack.apply;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PersistentVolumeClaims a StatefulSet made from its {@code volumeClaimTemplates}: named
 * {@code <template>-<statefulset>-<ordinal>}, labelled with the StatefulSet's selector, and kept when
 * it is deleted (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention).
 * They carry no stack labels (the controller, not deploy, made them), so undeploy finds them here.
 */
final class VolumeClaims {

  private VolumeClaims() {}

  static List<PersistentVolumeClaim> of(KubernetesClient client, StatefulSet sts) {
    if (sts.getSpec() == null || sts.getSpec().getVolumeClaimTemplates() == null || sts.getSpec().getVolumeClaimTemplates().isEmpty()) {
      return List.of();
    }
    String name = sts.getMetadata().getName();
    List<Pattern> names = sts.getSpec().getVolumeClaimTemplates().stream()
        .map(t -> Pattern.compile(Pattern.quote(t.getMetadata().getName() + "-" + name + "-") + "\\d+"))
        .toList();
    Map<String, String> selector = sts.getSpec().getSelector() == null || sts.getSpec().getSelector().getMatchLabels() == null
        ? Map.of() : sts.getSpec().getSelector().getMatchLabels();
    return client.persistentVolumeClaims().inNamespace(sts.getMetadata().getNamespace()).list().getItems().stream()
        .filter(c -> names.stream().anyMatch(p -> p.matcher(c.getMetadata().getName()).matches()))
        .filter(c -> c.getMetadata().getLabels() != null && c.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .toList();
  }
}
