package dev.llmstack.cluster;

import dev.llmstack.docker.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;

/**
 * Readiness by the rules of {@code kubectl rollout status}, stricter than fabric8's Readiness: the
 * controller must have seen the latest generation, every replica must run the new template, no old
 * replica may remain, and a StatefulSet's revisions must match. A Job is ready when complete.
 *
 * <p>The rules read the object as JSON (what the API server sends), so that deploy's no-change check
 * can apply them to a plain LIST answer without fabric8's model; typed objects are converted.
 */
public final class RolloutRules {

  private RolloutRules() {}

  public static WorkloadState of(HasMetadata workload) {
    String kind = workload instanceof Deployment ? "Deployment"
        : workload instanceof StatefulSet ? "StatefulSet"
        : workload instanceof DaemonSet ? "DaemonSet"
        : workload instanceof Job ? "Job"
        : workload instanceof Pod ? "Pod"
        : null;
    if (kind == null) {
      return WorkloadState.ready();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> json = Serialization.jsonMapper().convertValue(workload, Map.class);
    return of(kind, json);
  }

  /** The rules for an object of {@code kind} as the API server returns it; kinds without rules are ready. */
  public static WorkloadState of(String kind, Map<String, Object> workload) {
    return switch (kind) {
      case "Deployment" -> deployment(workload);
      case "StatefulSet" -> statefulSet(workload);
      case "DaemonSet" -> daemonSet(workload);
      case "Job" -> job(workload);
      case "Pod" -> pod(workload);
      default -> WorkloadState.ready();
    };
  }

  private static WorkloadState deployment(Map<String, Object> d) {
    Map<String, Object> st = Json.object(d, "status");
    if (!observed(d, st)) {
      return WorkloadState.waiting("rollout not yet observed by the controller");
    }
    for (Object c : Json.array(st, "conditions")) {
      if ("Progressing".equals(Json.string(c, "type")) && "ProgressDeadlineExceeded".equals(Json.string(c, "reason"))) {
        String message = Json.string(c, "message");
        return WorkloadState.failed(
            "Deployment " + name(d) + " did not finish its rollout within progressDeadlineSeconds"
                + " (ProgressDeadlineExceeded" + (message == null ? "" : ": " + message) + ").",
            "See why its new pods are not ready: kubectl describe deployment -n " + namespace(d) + " " + name(d) + ".");
      }
    }
    int desired = replicas(d);
    int updated = count(st, "updatedReplicas");
    int total = count(st, "replicas");
    int available = count(st, "availableReplicas");
    if (updated < desired) {
      return WorkloadState.waiting(updated + " of " + desired + " replicas updated");
    }
    if (total > updated) {
      return WorkloadState.waiting((total - updated) + " old replicas pending termination");
    }
    if (available < updated) {
      return WorkloadState.waiting(available + " of " + updated + " updated replicas available");
    }
    return WorkloadState.ready();
  }

  private static WorkloadState statefulSet(Map<String, Object> s) {
    Map<String, Object> st = Json.object(s, "status");
    if (!observed(s, st)) {
      return WorkloadState.waiting("rollout not yet observed by the controller");
    }
    int desired = replicas(s);
    int ready = count(st, "readyReplicas");
    if (ready < desired) {
      return WorkloadState.waiting(ready + " of " + desired + " replicas ready");
    }
    boolean onDelete = "OnDelete".equals(Json.string(Json.object(Json.object(s, "spec"), "updateStrategy"), "type"));
    String updateRevision = Json.string(st, "updateRevision");
    if (!onDelete && updateRevision != null && !Objects.equals(updateRevision, Json.string(st, "currentRevision"))) {
      return WorkloadState.waiting(
          "rolling update to revision " + updateRevision + ": " + count(st, "updatedReplicas") + " of " + desired + " updated");
    }
    return WorkloadState.ready();
  }

  private static WorkloadState daemonSet(Map<String, Object> d) {
    Map<String, Object> st = Json.object(d, "status");
    if (!observed(d, st)) {
      return WorkloadState.waiting("rollout not yet observed by the controller");
    }
    int desired = count(st, "desiredNumberScheduled");
    if (count(st, "updatedNumberScheduled") < desired) {
      return WorkloadState.waiting(count(st, "updatedNumberScheduled") + " of " + desired + " pods updated");
    }
    if (count(st, "numberAvailable") < desired) {
      return WorkloadState.waiting(count(st, "numberAvailable") + " of " + desired + " updated pods available");
    }
    return WorkloadState.ready();
  }

  private static WorkloadState job(Map<String, Object> j) {
    for (Object c : Json.array(Json.object(j, "status"), "conditions")) {
      if ("True".equals(Json.string(c, "status")) && "Complete".equals(Json.string(c, "type"))) {
        return WorkloadState.ready();
      }
      if ("True".equals(Json.string(c, "status")) && "Failed".equals(Json.string(c, "type"))) {
        String message = Json.string(c, "message");
        return WorkloadState.failed(
            "Job " + name(j) + " failed (" + Json.string(c, "reason") + (message == null ? "" : ": " + message) + ").",
            "See its pods' output: kubectl logs -n " + namespace(j) + " job/" + name(j) + ".");
      }
    }
    return WorkloadState.waiting("not complete yet");
  }

  private static WorkloadState pod(Map<String, Object> p) {
    Map<String, Object> st = Json.object(p, "status");
    if ("Succeeded".equals(Json.string(st, "phase"))) {
      return WorkloadState.ready();
    }
    boolean ready = Json.array(st, "conditions").stream()
        .anyMatch(c -> "Ready".equals(Json.string(c, "type")) && "True".equals(Json.string(c, "status")));
    return ready ? WorkloadState.ready() : WorkloadState.waiting("pod not ready");
  }

  /** The controller has seen the object's generation (an object without one counts as seen once observed). */
  private static boolean observed(Map<String, Object> o, Map<String, Object> status) {
    Long observedGeneration = Json.number(status, "observedGeneration");
    Long generation = Json.number(Json.object(o, "metadata"), "generation");
    return observedGeneration != null && (generation == null || observedGeneration >= generation);
  }

  /** spec.replicas, 1 when not set. */
  private static int replicas(Map<String, Object> o) {
    Long replicas = Json.number(Json.object(o, "spec"), "replicas");
    return replicas == null ? 1 : replicas.intValue();
  }

  private static int count(Map<String, Object> status, String field) {
    Long n = Json.number(status, field);
    return n == null ? 0 : n.intValue();
  }

  private static String name(Map<String, Object> o) {
    return Json.string(Json.object(o, "metadata"), "name");
  }

  private static String namespace(Map<String, Object> o) {
    return Json.string(Json.object(o, "metadata"), "namespace");
  }

  /** The pod's Ready condition is True. */
  public static boolean isPodReady(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }
}
