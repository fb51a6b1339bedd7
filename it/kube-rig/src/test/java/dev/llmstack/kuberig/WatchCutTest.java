package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Simulated API server: cutting watches")
class WatchCutTest {

  private static KubeRig rig;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    rig = KubeRig.start();
    client = rig.client();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }


  @Test
  @DisplayName("Given an informer, when the watches are cut, then none is open right after and the informer still sees later changes")
  void informerReconnects() throws Exception {
    // Given
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("cut")
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap obj) {
            seen.add(obj.getMetadata().getName() + "=" + obj.getData().get("v"));
          }

          @Override
          public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            seen.add(newObj.getMetadata().getName() + "=" + newObj.getData().get("v"));
          }

          @Override
          public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
          }
        });
    try {
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("before").withNamespace("cut").endMetadata()
          .addToData("v", "1").build()).create();
      OpenWatches.awaitSimulator(rig);
      OpenWatches.await(rig, "/api/v1/namespaces/cut/configmaps");
      // When
      rig.cutWatches();
      final int right = rig.openWatches();
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("before").withNamespace("cut").endMetadata()
          .addToData("v", "2").build()).update();
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("after").withNamespace("cut").endMetadata()
          .addToData("v", "1").build()).create();
      // Then
      assertThat(right).isZero();
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(seen.contains("after=1") && seen.contains("before=2")) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seen).contains("before=1", "before=2", "after=1");
      OpenWatches.awaitSimulator(rig);
      OpenWatches.await(rig, "/api/v1/namespaces/cut/configmaps");
    } finally {
      informer.close();
    }
  }

  @Test
  @DisplayName("Given a plain watch, when the watches are cut, then it closes with HTTP 410 Gone")
  void plainWatchSeesGone() throws Exception {
    // Given
    final CompletableFuture<WatcherException> closed = new CompletableFuture<>();
    try (Watch watch = client.configMaps().inNamespace("gone").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
      }

      @Override
      public void onClose(WatcherException cause) {
        closed.complete(cause);
      }
    })) {
      OpenWatches.await(rig, "/api/v1/namespaces/gone/configmaps");
      // When
      rig.cutWatches();
      // Then
      assertThat(closed.get(10, TimeUnit.SECONDS).isHttpGone()).isTrue();
    }
  }

  @Test
  @DisplayName("Given the cluster after a cut, then the simulator still moves new pods to ready")
  void simulatorSurvivesCut() {
    rig.cutWatches();
    client.resource(Workloads.pod("after-cut", "p", java.util.Map.of())).create();
    assertThat(client.pods().inNamespace("after-cut").withName("p")
        .waitUntilCondition(KubeletSimulator::isReady, 10, TimeUnit.SECONDS)).isNotNull();
  }
}
