package dev.llmstack.cluster;

import dev.llmstack.render.PodSpecs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A workload read as a generic resource, made into the typed object {@link RolloutRules} judges
 * with only what readiness looks at: metadata, replica count, update strategy and status. Reading
 * the stack's members this way spares the no-change check Jackson's typed model of every pod
 * template, which was most of its time.
 */
final class WorkloadView {

  /** The kinds {@link RolloutTracker#workloads} counts (those that run pods), by group-kind. */
  private static final Set<String> WORKLOADS = PodSpecs.RUN_PODS.stream()
      .map(type -> Kinds.groupKind(HasMetadata.getGroup(type), HasMetadata.getKind(type)))
      .collect(Collectors.toUnmodifiableSet());

  private WorkloadView() {}

  static boolean isWorkload(GenericKubernetesResource o) {
    return WORKLOADS.contains(Kinds.groupKind(o));
  }

  /** The typed view for the kinds RolloutRules judges; any other workload as it is (ready by those rules). */
  static HasMetadata of(GenericKubernetesResource o, KubernetesSerialization json) {
    Object status = o.getAdditionalProperties().get("status");
    Map<?, ?> spec = o.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? m : Map.of();
    switch (Kinds.groupKind(o)) {
      case "Deployment.apps" -> {
        Deployment d = new Deployment();
        d.setMetadata(o.getMetadata());
        DeploymentSpec s = new DeploymentSpec();
        s.setReplicas(json.convertValue(spec.get("replicas"), Integer.class));
        d.setSpec(s);
        d.setStatus(json.convertValue(status, DeploymentStatus.class));
        return d;
      }
      case "StatefulSet.apps" -> {
        StatefulSet t = new StatefulSet();
        t.setMetadata(o.getMetadata());
        StatefulSetSpec s = new StatefulSetSpec();
        s.setReplicas(json.convertValue(spec.get("replicas"), Integer.class));
        s.setUpdateStrategy(json.convertValue(spec.get("updateStrategy"), StatefulSetUpdateStrategy.class));
        t.setSpec(s);
        t.setStatus(json.convertValue(status, StatefulSetStatus.class));
        return t;
      }
      case "DaemonSet.apps" -> {
        DaemonSet d = new DaemonSet();
        d.setMetadata(o.getMetadata());
        d.setStatus(json.convertValue(status, DaemonSetStatus.class));
        return d;
      }
      case "Job.batch" -> {
        Job j = new Job();
        j.setMetadata(o.getMetadata());
        j.setStatus(json.convertValue(status, JobStatus.class));
        return j;
      }
      case "Pod" -> {
        Pod p = new Pod();
        p.setMetadata(o.getMetadata());
        p.setStatus(json.convertValue(status, PodStatus.class));
        return p;
      }
      default -> {
        return o;
      }
    }
  }
}
