package dev.llmstack.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Custom resources judged by the kstatus conventions. */
class ConditionRulesTest {

  private static GenericKubernetesResource widget(long generation, Long observed, List<Map<String, Object>> conditions) {
    Map<String, Object> status = new java.util.HashMap<>();
    if (observed != null) {
      status.put("observedGeneration", observed);
    }
    if (conditions != null) {
      status.put("conditions", conditions);
    }
    return new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
        .withNewMetadata().withName("gadget").withNamespace("ns").withGeneration(generation).endMetadata()
        .withAdditionalProperties(Map.of("status", status)).build();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no status at all: current                  | 1 |   |             |        | READY",
      "generation not observed yet                | 2 | 1 |             |        | WAITING",
      "Ready=True, generation observed            | 2 | 2 | Ready       | True   | READY",
      "Ready=False: in progress                   | 1 | 1 | Ready       | False  | WAITING",
      "Ready=Unknown: in progress                 | 1 | 1 | Ready       | Unknown| WAITING",
      "Reconciling=True: in progress              | 1 | 1 | Reconciling | True   | WAITING",
      "Stalled=True: failed                       | 1 | 1 | Stalled     | True   | FAILED",
      "an unrelated condition only: current       | 1 | 1 | Synced      | False  | READY"})
  void kstatus(String what, long generation, Long observed, String type, String status, WorkloadState.Kind expected) {
    List<Map<String, Object>> conditions = type == null ? null : List.of(Map.of("type", type, "status", status, "reason", "Because", "message", "it is so"));

    WorkloadState state = ConditionRules.of(widget(generation, observed, conditions));

    assertThat(state.kind()).as(what).isEqualTo(expected);
    if (expected == WorkloadState.Kind.FAILED) {
      assertThat(state.detail()).contains("Widget gadget is stalled (Because: it is so)");
    }
  }
}
