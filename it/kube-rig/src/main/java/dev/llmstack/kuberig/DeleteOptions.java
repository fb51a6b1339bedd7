package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;

/**
 * The DeleteOptions of a DELETE (body, or query parameters as kubectl may send them): {@code propagationPolicy}
 * ({@code Background} by default; the legacy {@code orphanDependents: true} means {@code Orphan}) and {@code
 * gracePeriodSeconds} (null when not given).
 */
record DeleteOptions(String propagationPolicy, Long gracePeriodSeconds) {

  static final DeleteOptions BACKGROUND = new DeleteOptions("Background", null);

  boolean orphan() {
    return "Orphan".equals(propagationPolicy);
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
    boolean orphanDependents = "true".equals(query.get("orphanDependents"));
    if (options != null && options.isObject()) {
      policy = options.hasNonNull("propagationPolicy") ? options.get("propagationPolicy").asText() : policy;
      grace = options.hasNonNull("gracePeriodSeconds") ? options.get("gracePeriodSeconds").asText() : grace;
      orphanDependents |= options.path("orphanDependents").asBoolean(false);
    }
    if (policy == null) {
      policy = orphanDependents ? "Orphan" : "Background";
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
