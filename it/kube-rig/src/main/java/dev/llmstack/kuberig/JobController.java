package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.llmstack.kuberig.ClusterState.nonZero;
import static dev.llmstack.kuberig.ClusterState.templateLabels;
import static dev.llmstack.kuberig.ClusterWriter.timestamp;

/**
 * The Job controller, one pod per Job (https://kubernetes.io/docs/concepts/workloads/controllers/job/): the pod
 * {@code <job>-<rand5>} carries {@code batch.kubernetes.io/controller-uid} and {@code controller-uid} (the Job's
 * uid), {@code batch.kubernetes.io/job-name} and {@code job-name} (the API server put them in the template on
 * create, {@link RigStore}). A pod that succeeds completes the Job ({@code succeeded=1}, {@code completionTime},
 * {@code Complete=True}); one that fails fails it ({@code Failed=True/BackoffLimitExceeded}). Not modelled: retries,
 * parallelism, completions above 1, pod failure policies, deadlines.
 */
final class JobController implements Controller<Job> {

  private final ClusterWriter writer;

  JobController(ClusterWriter writer) {
    this.writer = writer;
  }

  @Override
  public boolean sync(Job j, ClusterState cluster) {
    if (finished(j) || !cluster.podsOf(j).isEmpty()) {
      return false;
    }
    final String uid = j.getMetadata().getUid();
    final Map<String, String> labels = new LinkedHashMap<>(templateLabels(j.getSpec().getTemplate()));
    labels.putIfAbsent("batch.kubernetes.io/controller-uid", uid);
    labels.putIfAbsent("batch.kubernetes.io/job-name", j.getMetadata().getName());
    labels.putIfAbsent("controller-uid", uid);
    labels.putIfAbsent("job-name", j.getMetadata().getName());
    return writer.createPod(j, j.getSpec().getTemplate(), j.getMetadata().getName() + "-" + Names.random(5), labels,
        null);
  }

  private static boolean finished(Job j) {
    return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  @Override
  public boolean status(Job j, ClusterState cluster) {
    final JobStatus old = Optional.ofNullable(j.getStatus()).orElseGet(JobStatus::new);
    if (finished(j)) {
      return false;
    }
    final Instant now = cluster.now;
    final List<Pod> owned = cluster.podsOf(j);
    final int succeeded = (int) owned.stream().filter(p -> "Succeeded".equals(phase(p))).count();
    final int failed = (int) owned.stream().filter(p -> "Failed".equals(phase(p))).count();
    final JobStatus s = new JobStatus();
    s.setStartTime(old.getStartTime() != null ? old.getStartTime() : timestamp(now));
    s.setActive(nonZero(owned.size() - succeeded - failed));
    s.setReady((int) owned.stream().filter(KubeletSimulator::isReady).count());
    s.setSucceeded(nonZero(succeeded));
    s.setFailed(nonZero(failed));
    s.setTerminating(0);
    boolean done = false;
    if (succeeded >= 1) {
      s.setCompletionTime(timestamp(now));
      s.setConditions(List.of(
          condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
          condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now)));
      done = true;
    } else if (failed >= 1) {
      s.setConditions(List.of(
          condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now),
          condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now)));
    }
    return writer.writeStatus(j, old, s, done, () -> j.setStatus(s));
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  private static JobCondition condition(String type, String reason, String message, Instant now) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastProbeTime(timestamp(now)).withLastTransitionTime(timestamp(now)).build();
  }
}
