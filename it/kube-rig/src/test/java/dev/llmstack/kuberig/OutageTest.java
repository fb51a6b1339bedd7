package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayName("Simulated API server: outages (connections refused and reset, then back on the same port)")
class OutageTest {

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("out").endMetadata()
        .addToData("k", name).build();
  }

  @Test
  @DisplayName("Given an informer, when the API server is lost, then requests fail with a connection error, the watch is lost, and both come back on the same port with the same objects")
  void informerSurvivesAnOutage() throws Exception {
    try (KubeRig rig = KubeRig.start();
        KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
            .withMasterUrl(rig.url()).withOauthToken(Authentication.TOKEN).withRequestRetryBackoffLimit(0).build())
            .build()) {
      // Given
      final KubernetesClient client = rig.client();
      client.resource(configMap("before")).create();
      final Set<String> seen = ConcurrentHashMap.newKeySet();
      final SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("out")
          .inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
              seen.add(obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            }
          });
      try {
        await("the informer watches", 10, informer::isWatching);
        final String url = rig.url();
        // When: lost until the test has seen it (a timed outage raced the checks below on a loaded machine: the
        // fabric8 client built during a 2 s outage found the server back)
        rig.outage(Duration.ofMinutes(5));
        // Then: no HTTP status, a connection error
        final Throwable raw = catchThrowable(() -> Http.send("GET", url + "/api/v1/namespaces", null, null));
        assertThat(raw).isInstanceOf(ConnectException.class);
        // a new connection (noRetries has none open, which the outage would have reset: 'Connection was closed')
        final KubernetesClientException failed = catchThrowableOfType(KubernetesClientException.class,
            () -> noRetries.configMaps().inNamespace("out").list());
        assertThat(failed.getCode()).as("no HTTP status").isLessThan(100);
        assertThat(failed.getStatus()).isNull();
        assertThat(failed).hasRootCauseInstanceOf(ConnectException.class);
        await("the informer to lose its watch", 10, () -> !informer.isWatching());
        // back on the same port, same state
        rig.endOutage();
        await("the API server to answer again", 10, () -> answers(url));
        assertThat(rig.url()).isEqualTo(url);
        assertThat(client.configMaps().inNamespace("out").withName("before").get()).isNotNull();
        client.resource(configMap("after")).create();
        await("the informer to see a change after the outage", 40, () -> seen.contains("after"));
        assertThat(informer.isWatching()).isTrue();
      } finally {
        informer.close();
      }
    }
  }

  @Test
  @DisplayName("Given the rig as a process would be asked, POST /rig/outage?seconds=3 answers 200 first, then connections are refused, then it answers again")
  void outageOverHttp() throws Exception {
    try (KubeRig rig = KubeRig.start()) {
      final long asked = System.nanoTime();
      final HttpResponse<String> response = Http.send("POST", rig.url() + "/rig/outage?seconds=3", null, null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"outageSeconds\":3.0}");
      // 3 s, not 1: the refusals must be seen within them, and a loaded machine stalls a test thread for seconds
      await("connections to be refused", 5, () -> !answers(rig.url()));
      await("the API server to answer again", 15, () -> answers(rig.url()));
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
      assertThat(Http.send("POST", rig.url() + "/rig/outage?seconds=x", null, null).statusCode()).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("Given stopServing, then connections are refused for good and open watches are reset")
  void stopServing() throws Exception {
    try (KubeRig rig = KubeRig.start()) {
      final SharedIndexInformer<ConfigMap> informer = rig.client().configMaps().inNamespace("out").inform();
      try {
        await("the informer watches", 10, informer::isWatching);
        rig.stopServing();
        await("the informer to lose its watch", 10, () -> !informer.isWatching());
        assertThat(catchThrowable(() -> Http.send("GET", rig.url() + "/version", null, null)))
            .isInstanceOf(ConnectException.class);
        // the simulated kubelet still reaches the server: the cluster goes on without its clients
        assertThat(rig.kubelet()).isNotNull();
      } finally {
        informer.close();
      }
    }
  }

  private static boolean answers(String url) {
    try {
      return Http.send("GET", url + "/version", null, null).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + seconds + " s for " + what);
      }
      Thread.sleep(20);
    }
  }
}
