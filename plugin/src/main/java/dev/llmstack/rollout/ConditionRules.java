package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * Readiness of an object deploy knows no rule for (a custom resource), by the kstatus conventions
 * kpt and Flux use (sigs.k8s.io/cli-utils pkg/kstatus, "CRD Status Convention"): being deleted, or a
 * {@code status.observedGeneration} behind {@code metadata.generation}, is in progress;
 * {@code Reconciling=True} is in progress and {@code Stalled=True} failed; then the {@code Ready}
 * condition, where there is one, must be True. An object with none of these is current.
 */
public final class ConditionRules {

  private ConditionRules() {}

  public static WorkloadState of(GenericKubernetesResource o) {
    String what = o.getKind() + " " + o.getMetadata().getName();
    if (o.getMetadata().getDeletionTimestamp() != null) {
      return WorkloadState.waiting("being deleted");
    }
    Map<?, ?> status = o.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? m : Map.of();
    Long generation = o.getMetadata().getGeneration();
    if (generation != null && status.get("observedGeneration") instanceof Number observed && observed.longValue() != generation) {
      return WorkloadState.waiting("generation " + generation + " not yet observed by its controller (observed " + observed + ")");
    }
    List<?> conditions = status.get("conditions") instanceof List<?> l ? l : List.of();
    Map<?, ?> ready = null;
    for (Object item : conditions) {
      if (!(item instanceof Map<?, ?> c)) {
        continue;
      }
      boolean isTrue = "True".equals(c.get("status"));
      if ("Reconciling".equals(c.get("type")) && isTrue) {
        return WorkloadState.waiting("reconciling" + because(c));
      }
      if ("Stalled".equals(c.get("type")) && isTrue) {
        return WorkloadState.failed(
            what + " is stalled" + because(c) + ".",
            "Its controller gave up; see kubectl describe " + o.getKind().toLowerCase() + " -n " + o.getMetadata().getNamespace()
                + " " + o.getMetadata().getName() + ".");
      }
      if ("Ready".equals(c.get("type"))) {
        ready = c;
      }
    }
    if (ready != null && !"True".equals(ready.get("status"))) {
      return WorkloadState.waiting("Ready is " + ready.get("status") + because(ready));
    }
    return WorkloadState.ready();
  }

  /** Whether the object has anything these rules judge: otherwise it is ready once applied. */
  public static boolean hasStatus(GenericKubernetesResource o) {
    return o.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && (status.containsKey("conditions") || status.containsKey("observedGeneration"));
  }

  private static String because(Map<?, ?> condition) {
    Object reason = condition.get("reason");
    Object message = condition.get("message");
    String text = (reason == null ? "" : reason.toString()) + (message == null ? "" : (reason == null ? "" : ": ") + message);
    return text.isBlank() ? "" : " (" + text + ")";
  }
}
