package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A rig of its own for each test class that extends this: started before the class's tests, closed after them (test
 * classes run one after the other, surefire's default, so the fields belong to the class running).
 */
abstract class SimulatedClusterTest {

  static KubeRig rig;
  static KubernetesClient client;

  @BeforeAll
  static void startRig() {
    rig = KubeRig.start();
    client = rig.client();
  }

  @AfterAll
  static void closeRig() {
    rig.close();
  }

  /** Server-side apply, as the plugin applies (field manager "t", forcing conflicts). */
  static <T extends HasMetadata> T apply(T object) {
    return client.resource(object).fieldManager("t").forceConflicts().serverSideApply();
  }
}
