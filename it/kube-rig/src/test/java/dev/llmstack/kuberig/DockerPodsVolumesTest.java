package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.llmstack.kuberig.Workloads.deployment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Volumes of docker-backed pods, as a kubelet mounts them (https://kubernetes.io/docs/concepts/storage/volumes/):
 * checked from inside the real containers.
 */
@DisplayName("Docker-backed pods' volumes: configMap and secret read-only files, subPath, emptyDir, updates")
class DockerPodsVolumesTest {

  private static final String NS = "vols";
  private static final Map<String, String> DOCKER = Map.of(DockerPods.RUN_ANNOTATION, "docker");

  private static final String IMAGE = "kube-rig-test-" + UUID.randomUUID().toString().substring(0, 8) + "/web:v1";
  private static String host;
  private static boolean pulledBase;
  private static KubeRig rig;
  private static KubernetesClient client;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    host = Docker.host();
    pulledBase = Docker.buildWebImage(host, IMAGE, "v1\n", dir);
    rig = KubeRig.builder().dockerHost(host).start();
    client = rig.client();
  }

  @AfterAll
  static void stop() {
    try (KubeRig closing = rig) {
      // the rig's containers go first, then the image they ran
    }
    Docker.removeImages(host, pulledBase, IMAGE);
  }

  /** A docker-backed pod template: the web image with the given volumes and mounts (YAML of the pod spec). */
  private static PodTemplateSpec template(String app, String volumesYaml) {
    final PodTemplateSpec t = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app)
        .addToAnnotations(DOCKER).endMetadata().build();
    t.setSpec(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        "containers:\n- name: web\n  image: " + IMAGE + "\n" + volumesYaml, io.fabric8.kubernetes.api.model.PodSpec.class));
    return t;
  }

  private static Pod deployReady(String name, String volumesYaml) {
    client.resource(deployment(NS, name, 1, template(name, volumesYaml))).create();
    return client.pods().inNamespace(NS).withLabel("app", name).waitUntilCondition(p -> p != null
        && KubeletSimulator.isReady(p), 30, TimeUnit.SECONDS);
  }

  private static String container(Pod pod) {
    return DockerPods.containerName(NS, pod.getMetadata().getName(), "web");
  }

  private static Docker.Result sh(Pod pod, String script) {
    return Docker.run(host, 20, "exec", container(pod), "sh", "-c", script);
  }

  private static void configMap(String name, Map<String, String> data) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withData(data).build()).createOr(c -> c.update());
  }

  @Test
  @DisplayName("Given configMap, secret and emptyDir volumes, then the keys are files with their modes (items, path,"
      + " defaultMode), configMap and secret are read-only even with readOnly: false, and emptyDir is writable (0777)")
  void configMapSecretAndEmptyDir() {
    // Given
    configMap("settings", Map.of("app.yaml", "port: 8080\n", "extra.txt", "extra\n"));
    client.resource(new SecretBuilder().withNewMetadata().withName("keys").withNamespace(NS).endMetadata()
        .withData(Map.of("token", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))))
        .build()).create();
    // When
    final Pod pod = deployReady("files", """
          volumeMounts:
          - {name: settings, mountPath: /etc/settings, readOnly: false}
          - {name: picked, mountPath: /etc/picked}
          - {name: keys, mountPath: /etc/keys}
          - {name: scratch, mountPath: /scratch}
        volumes:
        - {name: settings, configMap: {name: settings}}
        - name: picked
          configMap: {name: settings, defaultMode: 0600, items: [{key: app.yaml, path: conf/app.yaml}, {key: extra.txt, path: e.txt, mode: 0444}]}
        - {name: keys, secret: {secretName: keys, defaultMode: 0400}}
        - {name: scratch, emptyDir: {}}
        """);
    // Then
    assertThat(sh(pod, "cat /etc/settings/app.yaml /etc/settings/extra.txt").out).isEqualTo("port: 8080\nextra\n");
    assertThat(sh(pod, "stat -L -c '%a %n' /etc/settings/app.yaml /etc/picked/conf/app.yaml /etc/picked/e.txt"
        + " /etc/keys/token").out).isEqualTo("644 /etc/settings/app.yaml\n600 /etc/picked/conf/app.yaml\n"
            + "444 /etc/picked/e.txt\n400 /etc/keys/token\n");
    assertThat(sh(pod, "ls /etc/picked").out).isEqualTo("conf\ne.txt\n");
    assertThat(sh(pod, "cat /etc/keys/token").out).isEqualTo("s3cret");
    final Docker.Result write = sh(pod, "echo changed > /etc/settings/app.yaml");
    assertThat(write.exit).isNotZero();
    assertThat(write.err).contains("Read-only file system");
    assertThat(sh(pod, "touch /etc/keys/new").err).contains("Read-only file system");
    assertThat(sh(pod, "stat -c %a /scratch").out).isEqualTo("777\n");
    assertThat(sh(pod, "echo written > /scratch/f && cat /scratch/f").out).isEqualTo("written\n");

    // When: the pod is replaced
    rig.kubelet().replacePod(NS, pod.getMetadata().getName());
    // Then: its emptyDir went with it
    final Pod next = client.pods().inNamespace(NS).withLabel("app", "files").waitUntilCondition(p -> p != null
        && !p.getMetadata().getUid().equals(pod.getMetadata().getUid()) && KubeletSimulator.isReady(p), 30,
        TimeUnit.SECONDS);
    assertThat(sh(next, "ls -A /scratch").out).isEmpty();
  }

  @Test
  @DisplayName("Given a configMap key mounted with subPath over an image file, then the container reads it, a write"
      + " or an exec'd 'tar -x' over it fails, and a change of the configMap reaches a whole-volume mount but never"
      + " the subPath mount")
  void subPathIsReadOnlyAndNeverUpdated() throws Exception {
    // Given
    configMap("web-config", Map.of("index.html", "from the configMap v1\n"));
    // When
    final Pod pod = deployReady("sub", """
          volumeMounts:
          - {name: config, mountPath: /www/index.html, subPath: index.html}
          - {name: config, mountPath: /etc/whole}
        volumes:
        - {name: config, configMap: {name: web-config}}
        """);
    // Then
    assertThat(sh(pod, "cat /www/index.html").out).isEqualTo("from the configMap v1\n");
    assertThat(sh(pod, "echo x > /www/index.html").err).contains("Read-only file system");
    final byte[] tar = DockerPodsTest.Tar.of("www/index.html", "synced\n".getBytes(StandardCharsets.UTF_8));
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).redirectingInput()
        .writingOutput(new ByteArrayOutputStream()).writingError(err)
        .exec("sh", "-c", "head -c " + tar.length + " | tar -xmf - -C /")) {
      watch.getInput().write(tar);
      watch.getInput().flush();
      assertThat(watch.exitCode().get(20, TimeUnit.SECONDS)).as("tar over a subPath mount").isNotZero();
    }
    assertThat(sh(pod, "cat /www/index.html").out).isEqualTo("from the configMap v1\n");

    // When
    configMap("web-config", Map.of("index.html", "from the configMap v2\n"));
    // Then
    DockerPodsTest.awaitText(() -> sh(pod, "cat /etc/whole/index.html").out, "from the configMap v2\n");
    assertThat(sh(pod, "cat /www/index.html").out).isEqualTo("from the configMap v1\n");
  }

  @Test
  @DisplayName("Given a pod whose configMap does not exist, then it waits ContainerCreating with a FailedMount event;"
      + " once the configMap is created it starts with its files")
  void missingConfigMapWaits() throws Exception {
    // When
    client.resource(deployment(NS, "waits", 1, template("waits", """
          volumeMounts:
          - {name: config, mountPath: /etc/late}
        volumes:
        - {name: config, configMap: {name: late}}
        """))).create();
    // Then
    final Pod waiting = client.pods().inNamespace(NS).withLabel("app", "waits").waitUntilCondition(p -> p != null
        && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty(), 30, TimeUnit.SECONDS);
    assertThat(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Event> events = List.of();
    while (events.isEmpty() && System.nanoTime() < deadline) {
      events = client.v1().events().inNamespace(NS).list().getItems().stream()
          .filter(e -> waiting.getMetadata().getName().equals(e.getInvolvedObject().getName()))
          .filter(e -> "FailedMount".equals(e.getReason())).toList();
      Thread.sleep(50);
    }
    assertThat(events).isNotEmpty();
    assertThat(events.get(0).getType()).isEqualTo("Warning");
    assertThat(events.get(0).getMessage())
        .isEqualTo("MountVolume.SetUp failed for volume \"config\" : configmap \"late\" not found");
    assertThat(Docker.containers(host, "label=dev.llmstack.rig.pod=" + NS + "/" + waiting.getMetadata().getName()))
        .isEmpty();

    // When
    configMap("late", Map.of("now.txt", "here\n"));
    // Then
    final Pod started = client.pods().inNamespace(NS).withName(waiting.getMetadata().getName())
        .waitUntilCondition(p -> p != null && KubeletSimulator.isReady(p), 30, TimeUnit.SECONDS);
    assertThat(sh(started, "cat /etc/late/now.txt").out).isEqualTo("here\n");
  }
}
