package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * k8s/overlays/dev and k8s/overlays/cluster, rendered by the real {@code kubectl kustomize} and
 * parsed into fabric8's typed model, checked against the seed (KUBERNETES_DEPLOYMENT_OVERVIEW.md):
 * one row per service, each row checked in both overlays.
 */
class ManifestsTest {

  // ------------------------------------------------------------------ the seed, one row per service

  /** A probe: an HTTP path, or an exec command (first word). */
  record ProbeSpec(String httpPath, String execCommand) {
    static ProbeSpec http(String path) {
      return new ProbeSpec(path, null);
    }

    static ProbeSpec exec(String command) {
      return new ProbeSpec(null, command);
    }
  }

  /**
   * A service as the seed describes it. Env values and init-container targets use {@code {p}} for
   * the overlay's name prefix; secret env is {@code secret/key} (with {@code ?} when optional).
   */
  record Row(
      String service,
      String kind,
      boolean headless,
      Map<String, Integer> ports,
      String image,
      boolean built,
      String requests,
      String limits,
      ProbeSpec readiness,
      ProbeSpec liveness,
      Map<String, String> initContainers,
      Map<String, String> env,
      Map<String, String> secretEnv) {

    @Override
    public String toString() {
      return service;
    }
  }

  static final List<Row> SEED = List.of(
      new Row("postgres", "StatefulSet", true, Map.of("postgres", 5432), "postgres:dev", true,
          null, null, // "No limits in dev"
          ProbeSpec.exec("sh"), ProbeSpec.exec("sh"),
          Map.of(),
          Map.of(),
          Map.of("POSTGRES_PASSWORD", "postgres-secret/password")),
      new Row("redis", "StatefulSet", true, Map.of("redis", 6379), "redis:7.4-alpine", false,
          "100m/256Mi", "500m/512Mi",
          ProbeSpec.exec("redis-cli"), ProbeSpec.exec("redis-cli"),
          Map.of(), Map.of(), Map.of()),
      new Row("qdrant", "Deployment", false, ordered("http", 6333, "grpc", 6334), "qdrant/qdrant:v1.13.4", false,
          "250m/512Mi", "500m/1Gi",
          ProbeSpec.http("/readyz"), ProbeSpec.http("/livez"),
          Map.of(),
          Map.of("QDRANT__SERVICE__HTTP_PORT", "6333", "QDRANT__SERVICE__GRPC_PORT", "6334"),
          Map.of()),
      new Row("litellm", "Deployment", false, Map.of("http", 4000), "litellm:dev", true,
          "250m/512Mi", "500m/1Gi",
          ProbeSpec.http("/health/readiness"), ProbeSpec.http("/health/liveliness"),
          Map.of(),
          Map.of("LITELLM_PORT", "4000"),
          Map.of("LITELLM_MASTER_KEY", "litellm-secret/master-key",
              "OPENAI_API_KEY", "litellm-secret/openai-api-key?",
              "ANTHROPIC_API_KEY", "litellm-secret/anthropic-api-key?")),
      new Row("r2r", "Deployment", false, Map.of("http", 7272), "r2r:dev", true,
          "500m/1Gi", "1000m/2Gi",
          ProbeSpec.http("/v3/health"), ProbeSpec.http("/v3/health"),
          ordered("wait-for-postgres", "{p}postgres:5432", "wait-for-qdrant", "{p}qdrant:6333"),
          Map.of("R2R_PORT", "7272",
              "R2R_POSTGRES_HOST", "{p}postgres", "R2R_POSTGRES_PORT", "5432",
              "R2R_QDRANT_HOST", "{p}qdrant", "R2R_QDRANT_PORT", "6333",
              "REDIS_URL", "redis://{p}redis:6379/0",
              "OPENAI_API_BASE", "http://{p}litellm:4000/v1"),
          Map.of("R2R_POSTGRES_PASSWORD", "postgres-secret/password",
              "OPENAI_API_KEY", "litellm-secret/master-key")),
      new Row("openwebui", "Deployment", false, Map.of("http", 8080), "openwebui:dev", true,
          "250m/512Mi", "500m/1Gi",
          ProbeSpec.http("/health"), ProbeSpec.http("/health"),
          Map.of("wait-for-litellm", "{p}litellm:4000"),
          Map.of("OPENAI_API_BASE_URL", "http://{p}litellm:4000/v1"),
          Map.of("OPENAI_API_KEY", "litellm-secret/master-key",
              "LLMSTACK_API_KEY", "openwebui-secret/api-key?")),
      new Row("react-client", "Deployment", false, Map.of("http", 3000), "react-client:dev", true,
          "100m/256Mi", "500m/512Mi",
          ProbeSpec.http("/healthz"), ProbeSpec.http("/healthz"),
          Map.of(),
          // the seed: VITE_API_BASE_URL -> OpenWebUI; nginx adds Open WebUI's key
          Map.of("LLM_API_BACKEND", "openwebui", "LLM_API_UPSTREAM", "http://{p}openwebui:8080"),
          Map.of("LLM_API_KEY", "openwebui-secret/api-key?")));

  /** The two overlays: how names are prefixed and images referenced. */
  enum Overlay {
    DEV("dev", "dev-", "", "Never"),
    CLUSTER("cluster", "", "registry.example.com/llmstack/", "IfNotPresent");

    final String dir;
    final String prefix;
    final String registry;
    final String builtPullPolicy;

    Overlay(String dir, String prefix, String registry, String builtPullPolicy) {
      this.dir = dir;
      this.prefix = prefix;
      this.registry = registry;
      this.builtPullPolicy = builtPullPolicy;
    }
  }

  static Stream<Arguments> rows() {
    return Stream.of(Overlay.values()).flatMap(o -> SEED.stream().map(r -> Arguments.of(o, r)));
  }

  // ------------------------------------------------------------------ per service, per overlay

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rows")
  @DisplayName("each service as the seed describes it")
  void serviceMatchesTheSeed(Overlay overlay, Row row) {
    Rendered r = render(overlay);
    String name = overlay.prefix + row.service();
    HasMetadata workload = r.get(row.kind(), name);
    PodTemplateSpec template = template(workload);
    Container c = template.getSpec().getContainers().get(0);
    Service service = (Service) r.get("Service", name);

    assertAll(
        () -> assertEquals(1, template.getSpec().getContainers().size(), "one container"),
        () -> assertEquals(row.service(), c.getName()),
        () -> assertEquals(1, replicas(workload), "single replica"),
        // labels the plugin's forward derives the logical name from
        () -> assertEquals(row.service(), template.getMetadata().getLabels().get("app.kubernetes.io/name")),
        () -> assertEquals(row.service(), template.getMetadata().getLabels().get("app")),
        () -> assertEquals(row.service(), service.getMetadata().getLabels().get("app.kubernetes.io/name")),
        // Service: selects the pods, the seed's ports, target ports that exist on the container
        () -> service.getSpec().getSelector().forEach((k, v) -> assertEquals(v, template.getMetadata().getLabels().get(k), "selector " + k)),
        () -> assertEquals(Map.of("app", row.service(), "app.kubernetes.io/name", row.service()), service.getSpec().getSelector()),
        () -> assertEquals(row.ports(), servicePorts(service)),
        () -> service.getSpec().getPorts().forEach(p -> assertEquals(p.getPort(), containerPort(c, p), "targetPort of " + p.getName())),
        () -> assertEquals(row.headless() ? "None" : null, service.getSpec().getClusterIP()),
        () -> {
          if (workload instanceof StatefulSet sts) {
            assertEquals(name, sts.getSpec().getServiceName());
          }
        },
        // image and pull policy
        () -> assertEquals(row.built() ? overlay.registry + row.image() : row.image(), c.getImage()),
        () -> assertEquals(row.built() ? overlay.builtPullPolicy : "IfNotPresent", c.getImagePullPolicy()),
        // requests/limits: the seed's table (PostgreSQL: none in dev)
        // (the cluster overlay adds PostgreSQL's: checked in postgresHasResourcesOnlyInTheClusterOverlay)
        () -> {
          if (!(overlay == Overlay.CLUSTER && row.service().equals("postgres"))) {
            assertEquals(row.requests(), resources(c.getResources() == null ? null : c.getResources().getRequests()), "requests");
            assertEquals(row.limits(), resources(c.getResources() == null ? null : c.getResources().getLimits()), "limits");
          }
        },
        // probes: readiness and liveness on every service, the seed's timings
        () -> assertProbe(row.readiness(), c.getReadinessProbe(), 10, 5, c),
        () -> assertProbe(row.liveness(), c.getLivenessProbe(), 30, 10, c),
        // init containers waiting for dependencies, in order, at prefixed Services that exist
        () -> assertEquals(List.copyOf(row.initContainers().keySet()), names(template.getSpec().getInitContainers())),
        () -> row.initContainers().forEach((initName, target) -> {
          Container init = template.getSpec().getInitContainers().stream().filter(i -> i.getName().equals(initName)).findFirst().orElseThrow();
          String expected = target.replace("{p}", overlay.prefix);
          assertEquals(expected, env(init, "WAIT_HOST") + ":" + env(init, "WAIT_PORT"), initName);
          assertTrue(String.join(" ", init.getCommand()).contains("nc -z"), initName + " waits with nc -z");
          assertEquals("busybox:1.36", init.getImage());
          assertServiceListens(r, env(init, "WAIT_HOST"), Integer.parseInt(env(init, "WAIT_PORT")));
        }),
        // env: plain values and Secret references
        () -> row.env().forEach((k, v) -> assertEquals(v.replace("{p}", overlay.prefix), env(c, k), k)),
        () -> row.secretEnv().forEach((k, v) -> assertSecretRef(r, overlay, c, k, v)),
        // every field known to the typed model (a misspelt field lands in additionalProperties)
        () -> assertTrue(c.getAdditionalProperties().isEmpty(), "unknown container fields " + c.getAdditionalProperties()),
        () -> assertTrue(template.getSpec().getAdditionalProperties().isEmpty(), "unknown pod fields " + template.getSpec().getAdditionalProperties()));
  }

  // ------------------------------------------------------------------ whole overlays

  @ParameterizedTest
  @MethodSource("overlays")
  void exactlyTheSevenServicesAndEveryObjectLabelled(Overlay overlay) {
    Rendered r = render(overlay);
    Set<String> expected = SEED.stream().map(row -> overlay.prefix + row.service()).collect(Collectors.toSet());
    assertEquals(expected, r.names("Service"));
    assertEquals(expected, Stream.concat(r.names("Deployment").stream(), r.names("StatefulSet").stream()).collect(Collectors.toSet()));
    for (HasMetadata o : r.objects()) {
      Map<String, String> labels = Optional.ofNullable(o.getMetadata().getLabels()).orElse(Map.of());
      assertNotNull(labels.get("app.kubernetes.io/name"), o.getKind() + " " + o.getMetadata().getName() + " lacks app.kubernetes.io/name");
      assertEquals(labels.get("app.kubernetes.io/name"), labels.get("app"), o.getKind() + " " + o.getMetadata().getName());
      assertTrue(o.getMetadata().getName().startsWith(overlay.prefix), o.getMetadata().getName());
      assertFalse(o instanceof GenericKubernetesResource, "untyped " + o.getKind());
    }
  }

  static Stream<Overlay> overlays() {
    return Stream.of(Overlay.values());
  }

  @Test
  void devEveryHostAndUrlInEnvNamesAPrefixedServiceOfTheOverlay() {
    Rendered r = render(Overlay.DEV);
    int checked = 0;
    for (HasMetadata w : r.workloads()) {
      PodTemplateSpec t = template(w);
      for (Container c : Stream.concat(t.getSpec().getContainers().stream(), Optional.ofNullable(t.getSpec().getInitContainers()).orElse(List.of()).stream()).toList()) {
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
          Optional<HostPort> target = hostOf(e, c);
          if (target.isPresent()) {
            assertTrue(target.get().host().startsWith("dev-"), w.getMetadata().getName() + " " + c.getName() + " " + e.getName() + "=" + e.getValue());
            assertServiceListens(r, target.get().host(), target.get().port());
            checked++;
          }
        }
      }
    }
    // r2r: 2 init containers + R2R_POSTGRES_HOST, R2R_QDRANT_HOST, REDIS_URL, OPENAI_API_BASE;
    // openwebui: 1 init container + OPENAI_API_BASE_URL; react-client: LLM_API_UPSTREAM
    assertEquals(9, checked, "host/URL env vars found");
  }

  @Test
  void devGeneratesTheSeedsSecretsAndOnlyThem() {
    Rendered r = render(Overlay.DEV);
    Secret litellm = (Secret) r.only("Secret", "dev-litellm-secret-");
    assertEquals(Map.of(
            "master-key", "sk-dev-master-key-12345678901234567890",
            "openai-api-key", "sk-proj-dev-key-test",
            "anthropic-api-key", "sk-ant-dev-key-test"),
        decode(litellm.getData()));
    Secret postgres = (Secret) r.only("Secret", "dev-postgres-secret-");
    assertEquals(Map.of("password", "postgres-dev-password-123"), decode(postgres.getData()));
    Secret openwebui = (Secret) r.only("Secret", "dev-openwebui-secret-");
    assertEquals(Set.of("api-key"), decode(openwebui.getData()).keySet());
    assertEquals(3, r.names("Secret").size());
  }

  @Test
  void clusterGeneratesNoSecretsAndExpectsThoseNamedInTheReadme() throws IOException {
    Rendered r = render(Overlay.CLUSTER);
    assertTrue(r.names("Secret").isEmpty(), "no Secret in the cluster overlay");
    Set<String> referenced = new java.util.TreeSet<>();
    for (HasMetadata w : r.workloads()) {
      for (Container c : template(w).getSpec().getContainers()) {
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            referenced.add(e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey());
          }
        }
      }
    }
    assertEquals(Set.of("litellm-secret/master-key", "litellm-secret/openai-api-key", "litellm-secret/anthropic-api-key", "postgres-secret/password",
        "openwebui-secret/api-key"), referenced);
    String readme = Files.readString(k8sDir().resolve("README.md"));
    referenced.forEach(ref -> assertTrue(readme.contains(ref.substring(ref.indexOf('/') + 1)), "README names " + ref));
    assertTrue(readme.contains("litellm-secret") && readme.contains("postgres-secret") && readme.contains("openwebui-secret"));
  }

  @Test
  void devStorageIsEmptyDirAndClusterStorageIsPersistent() {
    Rendered dev = render(Overlay.DEV);
    assertTrue(dev.names("PersistentVolumeClaim").isEmpty());
    for (HasMetadata w : dev.workloads()) {
      if (w instanceof StatefulSet sts) {
        assertTrue(Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of()).isEmpty(), sts.getMetadata().getName());
      }
      for (Volume v : Optional.ofNullable(template(w).getSpec().getVolumes()).orElse(List.of())) {
        assertTrue(v.getEmptyDir() != null || v.getConfigMap() != null, w.getMetadata().getName() + " volume " + v.getName());
      }
    }
    Rendered cluster = render(Overlay.CLUSTER);
    for (String sts : List.of("postgres", "redis")) {
      StatefulSet s = (StatefulSet) cluster.get("StatefulSet", sts);
      assertEquals(List.of(sts + "-data"), s.getSpec().getVolumeClaimTemplates().stream().map(p -> p.getMetadata().getName()).toList());
      assertTrue(Optional.ofNullable(s.getSpec().getTemplate().getSpec().getVolumes()).orElse(List.of()).isEmpty(), sts + ": no emptyDir beside the claim");
      assertEquals(sts + "-data", s.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().get(0).getName());
    }
    assertEquals(Set.of("qdrant-storage", "openwebui-data"), cluster.names("PersistentVolumeClaim"));
    for (HasMetadata w : cluster.workloads()) {
      for (Volume v : Optional.ofNullable(template(w).getSpec().getVolumes()).orElse(List.of())) {
        assertNull(v.getEmptyDir(), w.getMetadata().getName() + " volume " + v.getName() + " is emptyDir");
      }
      if (w instanceof Deployment d && template(d).getSpec().getVolumes() != null
          && template(d).getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null)) {
        assertEquals("Recreate", d.getSpec().getStrategy().getType(), d.getMetadata().getName());
        String claim = template(d).getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName();
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) cluster.get("PersistentVolumeClaim", claim);
        assertEquals(List.of("ReadWriteOnce"), pvc.getSpec().getAccessModes());
      }
    }
  }

  @Test
  void postgresHasResourcesOnlyInTheClusterOverlay() {
    Container dev = container(render(Overlay.DEV), "StatefulSet", "dev-postgres");
    assertTrue(dev.getResources() == null || dev.getResources().getRequests() == null && dev.getResources().getLimits() == null, "the seed: no limits in dev");
    Container cluster = container(render(Overlay.CLUSTER), "StatefulSet", "postgres");
    assertEquals("250m/512Mi", resources(cluster.getResources().getRequests()));
    assertEquals("1000m/2Gi", resources(cluster.getResources().getLimits()));
  }

  @Test
  void openWebUiAuthOffInDevOnInCluster() {
    assertEquals("False", env(container(render(Overlay.DEV), "Deployment", "dev-openwebui"), "WEBUI_AUTH"));
    assertEquals("True", env(container(render(Overlay.CLUSTER), "Deployment", "openwebui"), "WEBUI_AUTH"));
  }

  @Test
  void redisRunsWithAppendOnly() {
    for (Overlay o : Overlay.values()) {
      assertEquals(List.of("redis-server", "--appendonly", "yes"), container(render(o), "StatefulSet", o.prefix + "redis").getCommand());
    }
  }

  @Test
  @DisplayName("dev: LiteLLM reads the image's /app/config.yaml, which llmstack:dev syncs (no configMap mounted over it)")
  void devLiteLlmConfigIsTheImagesFileWhereSyncCanWriteIt() {
    Rendered r = render(Overlay.DEV);
    assertTrue(r.names("ConfigMap").stream().noneMatch(n -> n.contains("litellm")), "no LiteLLM ConfigMap in dev: " + r.names("ConfigMap"));
    Container c = container(r, "Deployment", "dev-litellm");
    assertTrue(Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).isEmpty(), "nothing mounted over the synced file: " + c.getVolumeMounts());
    assertTrue(Optional.ofNullable(template(r.get("Deployment", "dev-litellm")).getSpec().getVolumes()).orElse(List.of()).isEmpty());
  }

  @Test
  void clusterLiteLlmConfigMapHoldsTheModelListMountedAsConfigYamlAndEqualsTheImagesFile() throws IOException {
    for (Overlay o : List.of(Overlay.CLUSTER)) {
      Rendered r = render(o);
      ConfigMap cm = (ConfigMap) r.get("ConfigMap", o.prefix + "litellm-config");
      String config = cm.getData().get("config.yaml");
      for (String model : List.of("gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet", "text-embedding-3-small")) {
        assertTrue(config.contains("model_name: " + model), model);
      }
      assertTrue(config.contains("master_key: os.environ/LITELLM_MASTER_KEY"));
      assertEquals(Files.readString(imagesDir().resolve("litellm/config.yaml")), config, "k8s ConfigMap and sample-stack/images/litellm/config.yaml differ");
      Container c = container(r, "Deployment", o.prefix + "litellm");
      assertEquals("/app/config.yaml", c.getVolumeMounts().get(0).getMountPath());
      assertEquals("config.yaml", c.getVolumeMounts().get(0).getSubPath());
      Volume v = template(r.get("Deployment", o.prefix + "litellm")).getSpec().getVolumes().get(0);
      assertEquals(o.prefix + "litellm-config", v.getConfigMap().getName());
    }
  }

  @Test
  void postgresConfigMapNamesTheSeedsUserAndDatabase() {
    for (Overlay o : Overlay.values()) {
      Rendered r = render(o);
      ConfigMap cm = (ConfigMap) r.get("ConfigMap", o.prefix + "postgres-config");
      assertEquals("postgres", cm.getData().get("POSTGRES_USER"));
      assertEquals("r2r_db", cm.getData().get("POSTGRES_DB"));
      Container c = container(r, "StatefulSet", o.prefix + "postgres");
      assertEquals(o.prefix + "postgres-config", c.getEnvFrom().get(0).getConfigMapRef().getName());
    }
  }

  // ------------------------------------------------------------------ checks

  static void assertProbe(ProbeSpec expected, Probe probe, int initialDelay, int period, Container c) {
    assertNotNull(probe, c.getName() + " probe");
    assertEquals(initialDelay, probe.getInitialDelaySeconds(), c.getName() + " initialDelaySeconds");
    assertEquals(period, probe.getPeriodSeconds(), c.getName() + " periodSeconds");
    if (expected.httpPath() != null) {
      assertNotNull(probe.getHttpGet(), c.getName() + " httpGet probe");
      assertEquals(expected.httpPath(), probe.getHttpGet().getPath());
      int port = probe.getHttpGet().getPort().getIntVal() != null
          ? probe.getHttpGet().getPort().getIntVal()
          : c.getPorts().stream().filter(p -> p.getName().equals(probe.getHttpGet().getPort().getStrVal())).findFirst().orElseThrow().getContainerPort();
      assertEquals(c.getPorts().get(0).getContainerPort(), port, c.getName() + " probe port");
    } else {
      assertNotNull(probe.getExec(), c.getName() + " exec probe");
      assertEquals(expected.execCommand(), probe.getExec().getCommand().get(0));
    }
  }

  static void assertSecretRef(Rendered r, Overlay overlay, Container c, String envName, String expected) {
    EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(envName)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + envName));
    SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
    boolean optional = expected.endsWith("?");
    String[] parts = expected.replace("?", "").split("/");
    assertEquals(parts[1], ref.getKey(), envName);
    assertEquals(optional, Boolean.TRUE.equals(ref.getOptional()), envName + " optional");
    if (overlay == Overlay.DEV) {
      // generated: dev-<name>-<hash>, and the key is in it
      assertTrue(ref.getName().startsWith("dev-" + parts[0] + "-"), ref.getName());
      Secret secret = (Secret) r.get("Secret", ref.getName());
      assertTrue(secret.getData().containsKey(parts[1]), ref.getName() + " has " + parts[1]);
    } else {
      assertEquals(parts[0], ref.getName());
    }
  }

  static void assertServiceListens(Rendered r, String host, int port) {
    Service s = (Service) r.find("Service", host)
        .orElseThrow(() -> new AssertionError("no Service named " + host + " in the overlay"));
    assertTrue(s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port), host + " has no port " + port);
  }

  record HostPort(String host, int port) {}

  private static final Pattern URL = Pattern.compile("^[a-z][a-z0-9+.-]*://([^/:]+)(?::(\\d+))?.*$");

  /** The Service an env var points at: a URL value, or a *_HOST name with its *_PORT sibling. */
  static Optional<HostPort> hostOf(EnvVar e, Container c) {
    if (e.getValue() == null) {
      return Optional.empty();
    }
    Matcher m = URL.matcher(e.getValue());
    if (m.matches()) {
      int port = m.group(2) != null ? Integer.parseInt(m.group(2)) : e.getValue().startsWith("https") ? 443 : 80;
      return Optional.of(new HostPort(m.group(1), port));
    }
    if (e.getName().endsWith("_HOST") && !e.getValue().equals("0.0.0.0")) {
      String portName = e.getName().substring(0, e.getName().length() - "HOST".length()) + "PORT";
      return Optional.of(new HostPort(e.getValue(), Integer.parseInt(env(c, portName))));
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ rendering and the model

  record Rendered(List<HasMetadata> objects) {
    Optional<HasMetadata> find(String kind, String name) {
      return objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name)).findFirst();
    }

    HasMetadata get(String kind, String name) {
      return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + names(kind)));
    }

    HasMetadata only(String kind, String namePrefix) {
      List<HasMetadata> found = objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().startsWith(namePrefix)).toList();
      assertEquals(1, found.size(), kind + " " + namePrefix + "*");
      return found.get(0);
    }

    Set<String> names(String kind) {
      return objects.stream().filter(o -> o.getKind().equals(kind)).map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
    }

    List<HasMetadata> workloads() {
      return objects.stream().filter(o -> o instanceof Deployment || o instanceof StatefulSet).toList();
    }
  }

  private static final Map<Overlay, Rendered> RENDERED = new ConcurrentHashMap<>();

  static Rendered render(Overlay overlay) {
    return RENDERED.computeIfAbsent(overlay, o -> parse(kustomize(k8sDir().resolve("overlays").resolve(o.dir))));
  }

  static Path k8sDir() {
    return Path.of(System.getProperty("k8s.dir", "../k8s")).toAbsolutePath().normalize();
  }

  static Path imagesDir() {
    return Path.of(System.getProperty("images.dir", "images")).toAbsolutePath().normalize();
  }

  /** The real kustomize: kubectl kustomize. Missing kubectl fails the test (never skipped). */
  static String kustomize(Path dir) {
    Path kubectl = Path.of(System.getProperty("kubectl", "/usr/bin/kubectl"));
    if (!Files.isExecutable(kubectl)) {
      fail(kubectl + " not found: ManifestsTest renders the overlays with the real kustomize. "
          + "Install kubectl (e.g. apt-get install kubectl) or pass -Dkubectl=/path/to/kubectl.");
    }
    try {
      Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread drain = new Thread(() -> {
        try {
          p.getErrorStream().transferTo(err);
        } catch (IOException ignored) {
          // process ended
        }
      });
      drain.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize timed out");
      drain.join();
      assertEquals(0, p.exitValue(), () -> "kubectl kustomize " + dir + ": " + err.toString(StandardCharsets.UTF_8));
      return out;
    } catch (IOException e) {
      throw new AssertionError("Cannot run " + kubectl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Rendered parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      Object parsed = Serialization.unmarshal(doc);
      assertTrue(parsed instanceof HasMetadata, "not a Kubernetes object: " + doc);
      objects.add((HasMetadata) parsed);
    }
    return new Rendered(objects);
  }

  // ------------------------------------------------------------------ small helpers

  static PodTemplateSpec template(HasMetadata workload) {
    if (workload instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (workload instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    throw new AssertionError("not a workload: " + workload.getKind());
  }

  static int replicas(HasMetadata workload) {
    return workload instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) workload).getSpec().getReplicas();
  }

  static Container container(Rendered r, String kind, String name) {
    return template(r.get(kind, name)).getSpec().getContainers().get(0);
  }

  static String env(Container c, String name) {
    return Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
        .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name));
  }

  static List<String> names(List<Container> containers) {
    return Optional.ofNullable(containers).orElse(List.of()).stream().map(Container::getName).toList();
  }

  static Map<String, Integer> servicePorts(Service s) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    s.getSpec().getPorts().forEach(p -> ports.put(p.getName(), p.getPort()));
    return ports;
  }

  static int containerPort(Container c, ServicePort p) {
    if (p.getTargetPort().getIntVal() != null) {
      return p.getTargetPort().getIntVal();
    }
    return c.getPorts().stream().filter(cp -> p.getTargetPort().getStrVal().equals(cp.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("targetPort " + p.getTargetPort().getStrVal() + " not on " + c.getName()))
        .getContainerPort();
  }

  static String resources(Map<String, Quantity> q) {
    if (q == null || q.isEmpty()) {
      return null;
    }
    return q.get("cpu") + "/" + q.get("memory");
  }

  static Map<String, String> decode(Map<String, String> data) {
    Map<String, String> out = new TreeMap<>();
    data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }

  @SafeVarargs
  static <V> Map<String, V> ordered(Object... kv) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      V v = (V) kv[i + 1];
      m.put((String) kv[i], v);
    }
    return m;
  }
}
