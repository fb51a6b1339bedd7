package dev.llmstack.cluster;

import dev.llmstack.rollout.RolloutRules;
import dev.llmstack.rollout.RolloutRulesTest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The no-change check's generic reads must be judged exactly as the typed objects would be. */
class WorkloadViewTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** As the API server would send it, read without its type. */
  private static GenericKubernetesResource generic(HasMetadata typed) {
    return JSON.unmarshal(JSON.asJson(typed), GenericKubernetesResource.class);
  }

  static Stream<Arguments> workloads() {
    Deployment withTemplate = new DeploymentBuilder(RolloutRulesTest.deployment(2L, 2L, 1, 2, 2))
        .editSpec().withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer()
        .endSpec().endTemplate().endSpec().build();
    return Stream.of(
            RolloutRulesTest.deployments(),
            RolloutRulesTest.statefulSets(),
            RolloutRulesTest.daemonSets(),
            Stream.of(
                Arguments.of("Deployment with a pod template, 1 of 2 updated", withTemplate),
                Arguments.of("Job complete", RolloutRulesTest.job("Complete", "True", null, null)),
                Arguments.of("Job without conditions", RolloutRulesTest.job(null, null, null, null)),
                Arguments.of("Job failed", RolloutRulesTest.job("Failed", "True", "BackoffLimitExceeded", "backoff limit")),
                Arguments.of("Pod ready", RolloutRulesTest.pod("Running", "True")),
                Arguments.of("Pod not ready", RolloutRulesTest.pod("Running", "False")),
                Arguments.of("Pod succeeded", RolloutRulesTest.pod("Succeeded", null)),
                Arguments.of("ReplicaSet (no rules: ready)", new ReplicaSetBuilder().withNewMetadata().withName("rs").endMetadata()
                    .withNewSpec().withReplicas(1).endSpec().build())))
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  @DisplayName("a workload read through fabric8 as a generic resource is in the same state as the typed object")
  void sameVerdict(String why, HasMetadata typed) {
    GenericKubernetesResource generic = generic(typed);
    ReadMember read = new ReadMember(generic.getApiVersion(), generic.getKind(), generic.getMetadata(), generic.getAdditionalProperties());

    assertThat(WorkloadView.isWorkload(read)).as(why).isTrue();
    assertThat(RolloutRules.of(WorkloadView.of(read))).as(why).isEqualTo(RolloutRules.of(typed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  @DisplayName("a workload read by a plain request (a list item: JSON maps, no apiVersion or kind) is in the same state too")
  void sameVerdictReadPlain(String why, HasMetadata typed) throws IOException {
    Map<String, Object> item = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(JSON.asJson(typed));
    item.remove("apiVersion");
    item.remove("kind");
    ReadMember read = ClusterReads.resource(item, typed.getApiVersion(), typed.getKind());

    assertThat(WorkloadView.isWorkload(read)).as(why).isTrue();
    assertThat(DeployFingerprint.Member.of(read)).as(why).isEqualTo(DeployFingerprint.Member.of(typed));
    assertThat(RolloutRules.of(WorkloadView.of(read))).as(why).isEqualTo(RolloutRules.of(typed));
  }

  @Test
  @DisplayName("objects without pods are not workloads")
  void notWorkloads() {
    assertThat(WorkloadView.isWorkload(generic(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build())))
        .isFalse();
  }
}
