package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Plays the operator of a custom resource for tests: an object annotated {@code rig.llmstack.dev/conditions:
 * Ready=True} (comma-separated, each {@code Type=True|False|Unknown[:Reason]}) gets {@code status.observedGeneration}
 * = its {@code metadata.generation} and those conditions (metav1.Condition: type, status, observedGeneration,
 * lastTransitionTime, reason, message), as an operator reports its work
 * (https://kubernetes.io/docs/concepts/extend-kubernetes/operator/, https://github.com/kubernetes/community/blob/
 * master/contributors/devel/sig-architecture/api-conventions.md#typical-status-properties). Written shortly after
 * each change (on a thread of its own, once the change is stored), through {@code /status} when the definition
 * has a status subresource, else on the main resource, by manager {@code kube-rig-operator}. Simulated: nothing is
 * reconciled, the conditions are the annotation's.
 */
final class SimulatedOperator implements AutoCloseable {

  static final String ANNOTATION = "rig.llmstack.dev/conditions";
  static final String MANAGER = "kube-rig-operator";

  private final ObjectWrites writes;
  private final Function<Supplier<MockResponse>, MockResponse> underWriteLock;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    final Thread t = new Thread(r, "kube-rig-simulated-operator");
    t.setDaemon(true);
    return t;
  });

  SimulatedOperator(ObjectWrites writes, Function<Supplier<MockResponse>, MockResponse> underWriteLock) {
    this.writes = writes;
    this.underWriteLock = underWriteLock;
  }

  /** A custom resource was written: look at it soon. */
  void changed(RequestInfo info, Discovery.Resource type) {
    if (!type.builtIn() && !info.name().isEmpty() && !thread.isShutdown()) {
      final RequestInfo main = RequestInfo.of(HttpMethod.PATCH, info.objectPath().orElseThrow(), Map.of());
      thread.execute(() -> underWriteLock.apply(() -> report(main, type.hasStatus())));
    }
  }

  private MockResponse report(RequestInfo main, boolean statusSubresource) {
    final JsonNode object = writes.current(main);
    final JsonNode annotation = object == null ? null
        : object.path("metadata").path("annotations").get(ANNOTATION);
    if (annotation == null || !annotation.isTextual()) {
      return null;
    }
    final long generation = object.path("metadata").path("generation").asLong(1);
    final JsonNode current = object.path("status");
    final ArrayNode conditions = JsonNodeFactory.instance.arrayNode();
    for (String spec : annotation.asText().split(",")) {
      final String[] typeAndRest = spec.trim().split("=", 2);
      if (typeAndRest.length < 2 || typeAndRest[0].isBlank()) {
        continue;
      }
      final String[] statusAndReason = typeAndRest[1].split(":", 2);
      final String status = statusAndReason[0].trim();
      final ObjectNode condition = conditions.addObject().put("type", typeAndRest[0].trim()).put("status", status)
          .put("observedGeneration", generation)
          .put("lastTransitionTime", transition(current, typeAndRest[0].trim(), status))
          .put("reason", statusAndReason.length > 1 ? statusAndReason[1].trim() : "Simulated");
      condition.put("message", "set by the kube rig's simulated operator (annotation " + ANNOTATION + ")");
    }
    if (current.path("observedGeneration").asLong(-1) == generation && sameConditions(current, conditions)) {
      return null;
    }
    final ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("status").put("observedGeneration", generation).set("conditions", conditions);
    final RequestInfo target = statusSubresource
        ? RequestInfo.of(HttpMethod.PATCH, main.objectPath().orElseThrow() + "/status", Map.of()) : main;
    return writes.patch(target, "application/merge-patch+json", patch.toString(), Map.of("fieldManager", MANAGER),
        null);
  }

  private static boolean sameConditions(JsonNode status, ArrayNode desired) {
    final JsonNode current = status.path("conditions");
    if (current.size() != desired.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      for (String f : new String[] { "type", "status", "reason", "observedGeneration" }) {
        if (!current.get(i).path(f).asText().equals(desired.get(i).path(f).asText())) {
          return false;
        }
      }
    }
    return true;
  }

  /** The condition's lastTransitionTime stays while its status stays. */
  private static String transition(JsonNode status, String type, String value) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText()) && value.equals(c.path("status").asText())) {
        return c.path("lastTransitionTime").asText(ManagedFields.now());
      }
    }
    return ManagedFields.now();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
