package dev.llmstack.cluster;

import dev.llmstack.rollout.RolloutRules;
import dev.llmstack.rollout.RolloutTracker;
import dev.llmstack.kube.Kinds;

import dev.llmstack.rollout.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A workload as read by the no-change check, made into the typed object {@link RolloutRules} judges
 * with only the fields its rules look at: metadata, replica count, update strategy, the status
 * counts and conditions (copied by hand: no Jackson model is started for them). Reading
 * the stack's members this way spares the no-change check Jackson's typed model of every pod
 * template, which was most of its time.
 */
final class WorkloadView {

  private WorkloadView() {}

  /** What the full deploy waits for ({@link RolloutTracker#waitedFor}), but custom resources, which the check does not list. */
  static boolean isWorkload(HasMetadata o) {
    return WorkloadKind.of(o).filter(WorkloadKind::isWaitedFor).isPresent();
  }

  /** The typed view for the kinds RolloutRules judges; any other workload as it is (ready by those rules). */
  static HasMetadata of(ReadMember o) {
    Map<?, ?> status = map(o.field("status"));
    Map<?, ?> spec = map(o.field("spec"));
    switch (Kinds.groupKind(o)) {
      case "Deployment.apps" -> {
        Deployment d = new Deployment();
        d.setMetadata(o.getMetadata());
        DeploymentSpec s = new DeploymentSpec();
        s.setReplicas(integer(spec, "replicas"));
        d.setSpec(s);
        DeploymentStatus st = new DeploymentStatus();
        st.setObservedGeneration(whole(status, "observedGeneration"));
        st.setReplicas(integer(status, "replicas"));
        st.setUpdatedReplicas(integer(status, "updatedReplicas"));
        st.setAvailableReplicas(integer(status, "availableReplicas"));
        st.setConditions(conditions(status, c -> {
          DeploymentCondition condition = new DeploymentCondition();
          condition.setType(text(c, "type"));
          condition.setReason(text(c, "reason"));
          condition.setMessage(text(c, "message"));
          return condition;
        }));
        d.setStatus(st);
        return d;
      }
      case "StatefulSet.apps" -> {
        StatefulSet t = new StatefulSet();
        t.setMetadata(o.getMetadata());
        StatefulSetSpec s = new StatefulSetSpec();
        s.setReplicas(integer(spec, "replicas"));
        StatefulSetUpdateStrategy strategy = new StatefulSetUpdateStrategy();
        strategy.setType(text(map(spec.get("updateStrategy")), "type"));
        s.setUpdateStrategy(strategy);
        t.setSpec(s);
        StatefulSetStatus st = new StatefulSetStatus();
        st.setObservedGeneration(whole(status, "observedGeneration"));
        st.setReadyReplicas(integer(status, "readyReplicas"));
        st.setUpdatedReplicas(integer(status, "updatedReplicas"));
        st.setUpdateRevision(text(status, "updateRevision"));
        st.setCurrentRevision(text(status, "currentRevision"));
        t.setStatus(st);
        return t;
      }
      case "DaemonSet.apps" -> {
        DaemonSet d = new DaemonSet();
        d.setMetadata(o.getMetadata());
        DaemonSetStatus st = new DaemonSetStatus();
        st.setObservedGeneration(whole(status, "observedGeneration"));
        st.setDesiredNumberScheduled(integer(status, "desiredNumberScheduled"));
        st.setUpdatedNumberScheduled(integer(status, "updatedNumberScheduled"));
        st.setNumberAvailable(integer(status, "numberAvailable"));
        d.setStatus(st);
        return d;
      }
      case "ReplicaSet.apps" -> {
        ReplicaSet r = new ReplicaSet();
        r.setMetadata(o.getMetadata());
        ReplicaSetSpec s = new ReplicaSetSpec();
        s.setReplicas(integer(spec, "replicas"));
        r.setSpec(s);
        ReplicaSetStatus st = new ReplicaSetStatus();
        st.setObservedGeneration(whole(status, "observedGeneration"));
        st.setReadyReplicas(integer(status, "readyReplicas"));
        st.setAvailableReplicas(integer(status, "availableReplicas"));
        st.setConditions(conditions(status, c -> {
          ReplicaSetCondition condition = new ReplicaSetCondition();
          condition.setType(text(c, "type"));
          condition.setStatus(text(c, "status"));
          condition.setMessage(text(c, "message"));
          return condition;
        }));
        r.setStatus(st);
        return r;
      }
      case "Job.batch" -> {
        Job j = new Job();
        j.setMetadata(o.getMetadata());
        JobStatus st = new JobStatus();
        st.setConditions(conditions(status, c -> {
          JobCondition condition = new JobCondition();
          condition.setType(text(c, "type"));
          condition.setStatus(text(c, "status"));
          condition.setReason(text(c, "reason"));
          condition.setMessage(text(c, "message"));
          return condition;
        }));
        j.setStatus(st);
        return j;
      }
      case "Pod" -> {
        Pod p = new Pod();
        p.setMetadata(o.getMetadata());
        PodStatus st = new PodStatus();
        st.setPhase(text(status, "phase"));
        st.setConditions(conditions(status, c -> {
          PodCondition condition = new PodCondition();
          condition.setType(text(c, "type"));
          condition.setStatus(text(c, "status"));
          return condition;
        }));
        p.setStatus(st);
        return p;
      }
      default -> {
        return o;
      }
    }
  }

  private static Map<?, ?> map(Object json) {
    return json instanceof Map<?, ?> m ? m : Map.of();
  }

  private static Integer integer(Map<?, ?> json, String field) {
    return json.get(field) instanceof Number n ? n.intValue() : null;
  }

  private static Long whole(Map<?, ?> json, String field) {
    return json.get(field) instanceof Number n ? n.longValue() : null;
  }

  private static String text(Map<?, ?> json, String field) {
    Object value = json.get(field);
    return value == null ? null : value.toString();
  }

  private static <C> List<C> conditions(Map<?, ?> status, Function<Map<?, ?>, C> condition) {
    return status.get("conditions") instanceof List<?> all
        ? all.stream().map(WorkloadView::map).map(condition).toList()
        : null;
  }
}
