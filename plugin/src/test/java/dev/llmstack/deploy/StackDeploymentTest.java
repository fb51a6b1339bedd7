package dev.llmstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.config.DeployConfig;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.hub.DefaultStackHub;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.RecordingLog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy's no-change shortcut against the simulated cluster and the real {@code kubectl kustomize}:
 * it applies nothing when nothing changed, and steps aside for every kind of change.
 */
class StackDeploymentTest {

  private static KubeRig rig;
  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void startRig() {
    rig = KubeRig.start();
    rig.writeKubeconfig(shared.resolve("kubeconfig"));
  }

  @AfterAll
  static void stopRig() {
    rig.close();
  }

  private Path overlay(String image) throws IOException {
    Path overlay = Files.createDirectories(dir.resolve("overlay"));
    Files.writeString(overlay.resolve("kustomization.yaml"), "namePrefix: dev-\nresources:\n  - stack.yaml\n");
    Files.writeString(overlay.resolve("stack.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          MODE: dev
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          replicas: 1
          selector:
            matchLabels: {app: api}
          template:
            metadata:
              labels: {app: api}
            spec:
              containers:
                - name: api
                  image: %s
        """.formatted(image));
    return overlay;
  }

  private StackApplier.Result deploy(Path overlay, String namespace, Map<String, String> images, boolean force, RecordingLog log) {
    return run(request(overlay, namespace, force), images, false, log, deployment -> {});
  }

  /**
   * One deploy with images built already, as the hub runs it: its own threads and its own
   * connection (opened on first use, closed after), with a step between the start and the run.
   */
  private static StackApplier.Result run(
      StackDeployment.Request request, Map<String, String> images, boolean built, RecordingLog log, Consumer<StackDeployment> meanwhile) {
    ExecutorService threads = Executors.newCachedThreadPool();
    AtomicReference<ClusterConnector.Connection> connection = new AtomicReference<>();
    try {
      StackDeployment deployment = StackDeployment.start(request,
          () -> connection.updateAndGet(c -> c != null ? c : ClusterConnector.connect(request.cluster(), log)), threads, log);
      try {
        meanwhile.accept(deployment);
        return deployment.run(images, built);
      } finally {
        deployment.awaitBackground();
      }
    } finally {
      threads.shutdownNow();
      if (connection.get() != null) {
        connection.get().client().close();
      }
    }
  }

  private StackDeployment.Request request(Path overlay, String namespace, boolean force) {
    return new StackDeployment.Request(
        overlay, "/usr/bin/kubectl", "s", namespace,
        new ClusterConnector.Options(shared.resolve("kubeconfig"), null, ClusterConnector.DEFAULT_ALLOWED_CONTEXTS, Map.of()),
        Duration.ofSeconds(60), "llmstack-maven-plugin/test", force, List.of());
  }

  /** kind/name -> resourceVersion of everything in the namespace, the ApplySet parent included. */
  private static Map<String, String> versions(String namespace) {
    KubernetesClient kube = rig.client();
    Map<String, String> versions = new TreeMap<>();
    Stream.of(kube.configMaps().inNamespace(namespace).list().getItems(), kube.secrets().inNamespace(namespace).list().getItems(),
            kube.apps().deployments().inNamespace(namespace).list().getItems())
        .flatMap(List::stream)
        .forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
    return versions;
  }

  private static long count(StackApplier.Result r, StackApplier.Change change) {
    return r.applied().stream().filter(a -> a.change() == change).count();
  }

  @Test
  @DisplayName("a second deploy of the same overlay and images sends nothing and modifies nothing")
  void nothingChanged() throws IOException {
    Path overlay = overlay("app:dev");
    Map<String, String> images = Map.of("app", "app:0123456789ab");
    StackApplier.Result first = deploy(overlay, "nc-same", images, false, new RecordingLog());
    assertThat(count(first, StackApplier.Change.CREATED)).isEqualTo(2);
    Secret parent = rig.client().secrets().inNamespace("nc-same").withName("llmstack-s").get();
    assertThat(parent.getMetadata().getAnnotations()).containsKeys(DeployFingerprint.INPUTS, DeployFingerprint.MEMBERS);
    Map<String, String> before = versions("nc-same");

    RecordingLog log = new RecordingLog();
    StackApplier.Result second = deploy(overlay, "nc-same", images, false, log);

    assertThat(second.applied()).hasSize(2).allMatch(a -> a.change() == StackApplier.Change.UNCHANGED);
    assertThat(second.applied()).extracting(a -> a.object().getKind()).containsExactlyInAnyOrder("ConfigMap", "Deployment");
    assertThat(log.infos).anyMatch(l -> l.contains("is as the last deploy left it") && l.contains("nothing sent"));
    assertThat(log.infos).contains("Applied 2 objects: 0 created, 0 configured, 2 unchanged.", "All 1 workloads ready.");
    assertThat(versions("nc-same")).isEqualTo(before);
    // read with plain requests (the context has a token): fabric8's client was never started
    assertThat(log.debugs).anyMatch(l -> l.startsWith("No-change check: plain requests to " + rig.url().replaceAll("/+$", "")));
    assertThat(log.debugs).noneMatch(l -> l.startsWith("Connected to"));
  }

  @Test
  @DisplayName("a context whose credentials come from an exec plugin is read through fabric8 (which runs it), and nothing changed is still seen")
  void execCredentials() throws IOException {
    Path plugin = dir.resolve("credentials.sh");
    Files.writeString(plugin, """
        #!/bin/sh
        echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"kube-rig-minikube"}}'
        """);
    plugin.toFile().setExecutable(true);
    Path kubeconfig = Files.writeString(dir.resolve("exec-kubeconfig"), """
        apiVersion: v1
        kind: Config
        current-context: minikube
        clusters:
        - name: minikube
          cluster:
            server: %s
        contexts:
        - name: minikube
          context:
            cluster: minikube
            user: plugin
        users:
        - name: plugin
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: %s
              interactiveMode: Never
        """.formatted(rig.url(), plugin));
    StackDeployment.Request request = new StackDeployment.Request(
        overlay("app:dev"), "/usr/bin/kubectl", "s", "nc-exec",
        new ClusterConnector.Options(kubeconfig, null, ClusterConnector.DEFAULT_ALLOWED_CONTEXTS, Map.of()),
        Duration.ofSeconds(60), "llmstack-maven-plugin/test", false, List.of());
    assertThat(count(run(request, Map.of(), false, new RecordingLog(), d -> {}), StackApplier.Change.CREATED)).isEqualTo(2);

    RecordingLog log = new RecordingLog();
    StackApplier.Result second = run(request, Map.of(), false, log, d -> {});

    assertThat(second.applied()).hasSize(2).allMatch(a -> a.change() == StackApplier.Change.UNCHANGED);
    assertThat(log.debugs).contains("No-change check: context minikube needs fabric8's client for its credentials", "No-change check: nothing to apply");
    assertThat(log.debugs).anyMatch(l -> l.startsWith("Connected to"));
  }

  @Test
  @DisplayName("a spec changed by hand (generation raised) is applied again, and reverted")
  void changedByHand() throws IOException {
    Path overlay = overlay("app:dev");
    Map<String, String> images = Map.of();
    deploy(overlay, "nc-hand", images, false, new RecordingLog());
    rig.client().apps().deployments().inNamespace("nc-hand").withName("dev-api")
        .edit(d -> {
          d.getSpec().setReplicas(3);
          d.getMetadata().setGeneration(d.getMetadata().getGeneration() + 1); // the API server's part
          return d;
        });

    RecordingLog log = new RecordingLog();
    StackApplier.Result again = deploy(overlay, "nc-hand", images, false, log);

    assertThat(log.infos).noneMatch(l -> l.contains("nothing sent"));
    assertThat(count(again, StackApplier.Change.CONFIGURED)).isEqualTo(1);
    assertThat(rig.client().apps().deployments().inNamespace("nc-hand").withName("dev-api").get().getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  @DisplayName("a member deleted by hand is created again")
  void deletedByHand() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-deleted", Map.of(), false, new RecordingLog());
    rig.client().configMaps().inNamespace("nc-deleted").withName("dev-settings").delete();

    StackApplier.Result again = deploy(overlay, "nc-deleted", Map.of(), false, new RecordingLog());

    assertThat(count(again, StackApplier.Change.CREATED)).isEqualTo(1);
    assertThat(rig.client().configMaps().inNamespace("nc-deleted").withName("dev-settings").get()).isNotNull();
  }

  @Test
  @DisplayName("another image reference or another rendered overlay is applied")
  void changedInputs() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-inputs", Map.of("app", "app:aaaaaaaaaaaa"), false, new RecordingLog());

    StackApplier.Result newImage =
        deploy(overlay, "nc-inputs", Map.of("app", "app:bbbbbbbbbbbb"), false, new RecordingLog());
    assertThat(count(newImage, StackApplier.Change.CONFIGURED)).isEqualTo(1);
    assertThat(rig.client().apps().deployments().inNamespace("nc-inputs").withName("dev-api").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("app:bbbbbbbbbbbb");

    Files.writeString(overlay.resolve("stack.yaml"), Files.readString(overlay.resolve("stack.yaml")).replace("MODE: dev", "MODE: test"));
    StackApplier.Result newOverlay =
        deploy(overlay, "nc-inputs", Map.of("app", "app:bbbbbbbbbbbb"), false, new RecordingLog());
    assertThat(count(newOverlay, StackApplier.Change.CONFIGURED)).isEqualTo(1);
    assertThat(rig.client().configMaps().inNamespace("nc-inputs").withName("dev-settings").get().getData()).containsEntry("MODE", "test");
  }

  @Test
  @DisplayName("forceApply applies everything although nothing changed (modifying no member; the record is written again)")
  void forced() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-force", Map.of(), false, new RecordingLog());
    Map<String, String> before = versions("nc-force");

    RecordingLog log = new RecordingLog();
    StackApplier.Result forced = deploy(overlay, "nc-force", Map.of(), true, log);

    assertThat(log.infos).contains("Applying every object (forceApply).").noneMatch(l -> l.contains("nothing sent"));
    assertThat(count(forced, StackApplier.Change.UNCHANGED)).isEqualTo(2);
    before.remove("Secret/llmstack-s");
    assertThat(versions("nc-force")).containsAllEntriesOf(before);
  }

  @Test
  @DisplayName("an overlay that no longer renders is kustomize's error, even right after a deploy")
  void renderFails() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-broken", Map.of(), false, new RecordingLog());
    Files.writeString(overlay.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");

    assertThatThrownBy(() -> deploy(overlay, "nc-broken", Map.of(), false, new RecordingLog()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("failed");
  }

  @Test
  @DisplayName("the fingerprint lists every member's state; a deploy that applies other inputs drops the old one first")
  void fingerprint() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-print", Map.of(), false, new RecordingLog());
    Map<String, String> annotations = rig.client().secrets().inNamespace("nc-print").withName("llmstack-s").get()
        .getMetadata().getAnnotations();
    List<HasMetadata> members = List.of(
        rig.client().configMaps().inNamespace("nc-print").withName("dev-settings").get(),
        rig.client().apps().deployments().inNamespace("nc-print").withName("dev-api").get());

    assertThat(annotations.get(DeployFingerprint.MEMBERS))
        .isEqualTo(DeployFingerprint.members(members.stream().map(DeployFingerprint.Member::of).toList()))
        .startsWith("v3:2:");
    assertThat(annotations.get(DeployFingerprint.INPUTS)).startsWith("v3:");
    assertThat(annotations.get(DeployFingerprint.OVERLAY)).startsWith("v3:");
  }

  @Test
  @DisplayName("one hub, two deploys: one connection, still open after them; closing the hub ends its threads")
  void hubsConnection() throws IOException, InterruptedException {
    Path overlay = overlay("app:dev");
    RecordingLog log = new RecordingLog();
    try (DefaultStackHub hub = new DefaultStackHub(log, Map.of())) {
      for (int i = 0; i < 2; i++) {
        hub.deploy(new DeployConfig(request(overlay, "nc-held", true), null, false)); // forced: over the connection
      }
      assertThat(log.debugs).filteredOn(l -> l.startsWith("Connected to")).hasSize(1);
    }

    // a pool's worker may still be finishing its exit when the pool reports termination: bounded join, then check
    List<Thread> workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("llmstack-deploy-")).toList();
    for (Thread worker : workers) {
      worker.join(5_000);
    }
    assertThat(workers).noneMatch(Thread::isAlive);
  }

  @Test
  @DisplayName("a deployment started but not run (the build failed) ends its background work and changes nothing")
  void startedWithoutRun() throws IOException {
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      StackDeployment.start(request(overlay("app:dev"), "nc-unrun", false), () -> {
        throw new AssertionError("no connection is needed");
      }, threads, new RecordingLog()).awaitBackground();
    } finally {
      threads.shutdownNow();
    }
    assertThat(rig.client().apps().deployments().inNamespace("nc-unrun").list().getItems()).isEmpty();
  }

  @Test
  @DisplayName("a broken overlay fails in checkInputs, before any image would be built, with kustomize's error")
  void brokenOverlayBeforeTheBuild() throws IOException {
    Path overlay = overlay("app:dev");
    Files.writeString(overlay.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      StackDeployment deployment = StackDeployment.start(request(overlay, "nc-broken", false), () -> {
        throw new AssertionError("no connection is needed");
      }, threads, new RecordingLog());
      assertThatThrownBy(deployment::checkInputs).isInstanceOf(ConfigurationException.class).hasMessageContaining("missing.yaml");
      deployment.awaitBackground();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @DisplayName("checkInputs parses an overlay once: as the last deploy applied it, it is not parsed again; a new image still applies")
  void overlayAsLastDeployedIsNotParsedAgain() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-parse", Map.of("app", "app:0123456789ab"), false, new RecordingLog());
    AtomicReference<List<HasMetadata>> checked = new AtomicReference<>();

    StackApplier.Result sameOverlay = run(request(overlay, "nc-parse", false), Map.of("app", "app:ba9876543210"), true,
        new RecordingLog(), deployment -> checked.set(deployment.checkInputs()));

    assertThat(checked.get()).isEmpty();
    assertThat(sameOverlay.applied()).extracting(a -> a.object().getKind() + " " + a.change())
        .containsExactlyInAnyOrder("ConfigMap UNCHANGED", "Deployment CONFIGURED");
    assertThat(rig.client().apps().deployments().inNamespace("nc-parse").withName("dev-api").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("app:ba9876543210");

    Files.writeString(overlay.resolve("stack.yaml"), Files.readString(overlay.resolve("stack.yaml")).replace("MODE: dev", "MODE: debug"));
    run(request(overlay, "nc-parse", false), Map.of("app", "app:ba9876543210"), false,
        new RecordingLog(), deployment -> checked.set(deployment.checkInputs()));

    assertThat(checked.get()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("ConfigMap", "Deployment");
  }

  @Test
  @DisplayName("when images were built after the deployment started, a change made meanwhile is seen and applied")
  void readAgainAfterABuild() throws IOException {
    Path overlay = overlay("app:dev");
    deploy(overlay, "nc-during", Map.of(), false, new RecordingLog());

    StackApplier.Result result = run(request(overlay, "nc-during", false), Map.of(), true, new RecordingLog(), deployment -> {
      deployment.awaitBackground(); // the early reads saw the stack as deployed
      rig.client().apps().deployments().inNamespace("nc-during").withName("dev-api").edit(d -> { // meanwhile, by hand
        d.getSpec().setReplicas(3);
        return d;
      });
    });

    assertThat(count(result, StackApplier.Change.CONFIGURED)).isEqualTo(1);
    assertThat(rig.client().apps().deployments().inNamespace("nc-during").withName("dev-api").get().getSpec().getReplicas()).isEqualTo(1);
  }
}
