package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The DeleteOptions of a DELETE (body, or query parameters as kubectl may send them): {@code propagationPolicy}
 * (null when not given; the legacy {@code orphanDependents: true} means {@code Orphan}) and {@code
 * gracePeriodSeconds} (null when not given).
 */
record DeleteOptions(String propagationPolicy, Long gracePeriodSeconds) {

  static final DeleteOptions BACKGROUND = new DeleteOptions("Background", null);

  /**
   * What the API server adds as a {@code Warning} header when a batch/v1 Job is deleted without a policy (the Job
   * registry's delete in kube-apiserver).
   */
  static final String JOB_ORPHANS_WARNING = "child pods are preserved by default when jobs are deleted; set"
      + " propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

  private static final Pattern BATCH_V1_JOB = Pattern.compile("^/apis/batch/v1/namespaces/[^/]+/jobs/[^/]+$");

  /**
   * Whether the dependents of the object at {@code path} are orphaned: {@code Orphan} asked for, or no policy given
   * and the resource's own default is to orphan. That default is Background for every kind but batch/v1 Jobs, whose
   * pods are kept for backward compatibility ("the default policy is decided by ... the resource-specific default
   * policy": https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/job-v1/#delete-delete-a-job).
   */
  boolean orphans(String path) {
    return propagationPolicy == null ? orphansByDefault(path) : "Orphan".equals(propagationPolicy);
  }

  /** A batch/v1 Job, whose default is to orphan its pods. */
  static boolean orphansByDefault(String path) {
    return BATCH_V1_JOB.matcher(path).matches();
  }

  static DeleteOptions of(Map<String, String> query, String body) {
    JsonNode options;
    try {
      options = body == null || body.isBlank() ? null : Serialization.jsonMapper().readTree(body);
    } catch (Exception e) {
      options = null;
    }
    String policy = query.get("propagationPolicy");
    String grace = query.get("gracePeriodSeconds");
    String orphanDependents = query.get("orphanDependents");
    if (options != null && options.isObject()) {
      policy = options.hasNonNull("propagationPolicy") ? options.get("propagationPolicy").asText() : policy;
      grace = options.hasNonNull("gracePeriodSeconds") ? options.get("gracePeriodSeconds").asText() : grace;
      orphanDependents = options.hasNonNull("orphanDependents") ? options.get("orphanDependents").asText()
          : orphanDependents;
    }
    if (policy == null && orphanDependents != null) {
      policy = "true".equals(orphanDependents) ? "Orphan" : "Background";
    }
    Long seconds = null;
    try {
      seconds = grace == null || grace.isEmpty() || Long.parseLong(grace) < 0 ? null : Long.valueOf(grace);
    } catch (NumberFormatException e) {
      // as not given
    }
    return new DeleteOptions(policy, seconds);
  }
}
