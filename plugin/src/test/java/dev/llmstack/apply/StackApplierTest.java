package dev.llmstack.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** StackApplier against the simulated cluster (kube-rig). */
class StackApplierTest {

  private static KubeRig rig;

  @BeforeAll
  static void startRig() {
    rig = KubeRig.start();
  }

  @AfterAll
  static void stopRig() {
    rig.close();
  }

  private static List<HasMetadata> oneConfigMap() {
    return List.of(new ConfigMapBuilder()
        .withNewMetadata().withName("dev-config").withLabels(StackDecorator.stackLabels("s")).endMetadata()
        .addToData("A", "1")
        .build());
  }

  @Test
  void createsTheMissingNamespace() {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(rig.client().getConfiguration()).build()) {
      new StackApplier(client, "s", "applier-new-ns", "test", BuildLog.silent()).apply(oneConfigMap());

      assertThat(client.namespaces().withName("applier-new-ns").get()).isNotNull();
      assertThat(client.configMaps().inNamespace("applier-new-ns").withName("dev-config").get().getData()).containsEntry("A", "1");
    }
  }

  @Test
  void aNamespaceThatCannotBeCreatedIsReportedInTheServersWordsWithoutFabric8sStatusDump() {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(rig.client().getConfiguration()).build()) {
      StackApplier applier = new StackApplier(client, "s", "forbidden-applier", "test", BuildLog.silent());

      assertThatThrownBy(() -> applier.apply(oneConfigMap()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("Namespace forbidden-applier does not exist and cannot be created: namespaces is forbidden: User")
          .hasMessageContaining("kubectl create namespace forbidden-applier")
          .hasMessageNotContaining("Received status")
          .hasMessageNotContaining("Failure executing");
      assertThat(client.configMaps().inAnyNamespace().withLabel(StackDecorator.STACK, "s").list().getItems())
          .noneMatch(c -> c.getMetadata().getNamespace().equals("forbidden-applier"));
    }
  }
}
