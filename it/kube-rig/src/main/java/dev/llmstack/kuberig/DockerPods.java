package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Docker-backed pods: pods annotated {@code rig.llmstack.dev/run: docker} get one real container per (main)
 * container on a Docker daemon, started with the docker CLI ({@code DOCKER_HOST} set to the configured host) as
 * {@code llmstack-rig-<ns>-<pod>-<container>}, {@code --network none}, never pulling. The kubelet simulator reads
 * their state from here; the dispatcher execs into them, reads their logs and forwards ports to them. Docker work runs
 * on one thread of its own, in order (a removal queued before a start of the same name runs first); deaths are
 * noticed through {@code docker events}. Their volumes (configMap, secret, emptyDir, subPath) are directories on this
 * machine, bind-mounted as the kubelet mounts them: see {@link PodVolumes}.
 */
final class DockerPods implements AutoCloseable {

  static final String RUN_ANNOTATION = "rig.llmstack.dev/run";
  static final String POD_LABEL = "dev.llmstack.rig.pod";
  static final String CONTAINER_LABEL = "dev.llmstack.rig.container";
  /** Which rig started the container: removal by label never touches another rig's containers. */
  static final String INSTANCE_LABEL = "dev.llmstack.rig.instance";

  private static final long RUN_TIMEOUT_SECONDS = 120;
  /**
   * How often projected configMap/secret volumes are compared with their objects. A real kubelet does it on its
   * periodic pod sync (1 min by default, plus its cache's delay); the rig is quicker so that tests need not wait.
   */
  static final long VOLUME_RESYNC_MILLIS = 500;
  /** A volume that cannot be set up is tried again after 0.5 s, doubling up to 8 s (the kubelet backs off too). */
  private static final long MOUNT_RETRY_MIN_MILLIS = 500;
  private static final long MOUNT_RETRY_MAX_MILLIS = 8_000;

  enum Phase {
    /** No docker host configured: the pod cannot run. */
    NO_DOCKER,
    /** {@code docker run} queued or in progress. */
    CREATING,
    /** {@code docker run} failed (reason ErrImageNeverPull or RunContainerError, docker's message). */
    FAILED,
    RUNNING,
    EXITED
  }

  /** What the kubelet simulator needs to know of one container. */
  static final class ContainerState {
    final Phase phase;
    final String reason;
    final String message;
    final String id;
    final String startedAt;
    final String finishedAt;
    final int exitCode;

    private ContainerState(Phase phase, String reason, String message, String id, String startedAt,
        String finishedAt, int exitCode) {
      this.phase = phase;
      this.reason = reason;
      this.message = message;
      this.id = id;
      this.startedAt = startedAt;
      this.finishedAt = finishedAt;
      this.exitCode = exitCode;
    }

    static ContainerState of(Phase phase, String reason, String message) {
      return new ContainerState(phase, reason, message, null, null, null, 0);
    }

    @Override
    public String toString() {
      return phase + (reason == null ? "" : " " + reason) + (message == null ? "" : ": " + message);
    }
  }

  /** The containers of one pod, by container name. */
  private static final class PodRecord {
    final String namespace;
    final String pod;
    final String uid;
    final Map<String, String> names = new LinkedHashMap<>();
    final Map<String, ContainerState> states = new ConcurrentHashMap<>();
    /** Null when the pod has no volume the rig mounts. */
    PodVolumes volumes;
    boolean volumesReady;
    long mountRetryMillis = MOUNT_RETRY_MIN_MILLIS;

    PodRecord(String namespace, String pod, String uid) {
      this.namespace = namespace;
      this.pod = pod;
      this.uid = uid;
    }
  }

  /** The outcome of one docker CLI call. */
  static final class Result {
    final int exitCode;
    final String out;
    final String err;

    Result(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    /** The first line of docker's complaint, without the CLI's "docker: " prefix and usage hint. */
    String message() {
      for (String line : (err.isBlank() ? out : err).split("\n")) {
        final String l = line.trim();
        if (!l.isEmpty()) {
          return l.startsWith("docker: ") ? l.substring("docker: ".length()) : l;
        }
      }
      return "docker exited with " + exitCode;
    }
  }

  /** A tracked container of a pod: its docker name and state. */
  static final class Target {
    final String dockerName;
    final ContainerState state;

    Target(String dockerName, ContainerState state) {
      this.dockerName = dockerName;
      this.state = state;
    }
  }

  private final String dockerHost;
  private final String instance = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final long since = Instant.now().getEpochSecond() - 1;
  private final Map<String, PodRecord> byUid = new ConcurrentHashMap<>();
  /** Every name this rig ran a container under (removed again on close). */
  private final Set<String> startedNames = ConcurrentHashMap.newKeySet();
  private final Set<Process> processes = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
    final Thread t = new Thread(r, "kube-rig-docker");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean noDockerLogged = new AtomicBoolean();
  private final AtomicBoolean eventsStarted = new AtomicBoolean();
  private volatile Process events;
  private volatile Runnable onChange = () -> {
  };
  private volatile KubernetesClient api;
  private final AtomicBoolean resyncStarted = new AtomicBoolean();
  /** The pods' volume directories, made when the first pod with volumes is seen. */
  private Path volumesRoot;

  /** @param dockerHost a DOCKER_HOST url ({@code unix:///...}, {@code tcp://...}); null for none */
  DockerPods(String dockerHost) {
    this.dockerHost = dockerHost == null || dockerHost.isBlank() ? null : dockerHost.trim();
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // mount retries end with the rig
  }

  /**
   * The API server the pods' configMap and secret volumes are read from (and FailedMount events written to); closed
   * with this.
   */
  void readsFrom(KubernetesClient client) {
    this.api = client;
  }

  /** Called (on the docker thread) whenever a container's state changed. */
  void onChange(Runnable onChange) {
    this.onChange = onChange;
  }

  Optional<String> dockerHost() {
    return Optional.ofNullable(dockerHost);
  }

  String instance() {
    return instance;
  }

  static boolean isDockerBacked(HasMetadata pod) {
    final Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations != null && "docker".equals(annotations.get(RUN_ANNOTATION));
  }

  static boolean isDockerBacked(JsonNode pod) {
    return "docker".equals(pod.path("metadata").path("annotations").path(RUN_ANNOTATION).asText());
  }

  static String containerName(String namespace, String pod, String container) {
    return "llmstack-rig-" + namespace + "-" + pod + "-" + container;
  }

  // ---------------------------------------------------------------- pods (kubelet simulator side)

  /**
   * The state of the pod's main containers, starting them (in the background) the first time the pod is seen.
   * Without a docker host every container is {@link Phase#NO_DOCKER}.
   */
  Map<String, ContainerState> ensure(Pod pod) {
    final List<Container> containers = Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of());
    final String ns = pod.getMetadata().getNamespace();
    final String name = pod.getMetadata().getName();
    if (dockerHost == null) {
      final String message = "the kube rig has no docker host, so pod " + ns + "/" + name + " (annotated "
          + RUN_ANNOTATION + ": docker) cannot run; give one with KubeRig.builder().dockerHost(..) or KubeRigMain"
          + " --docker-host <url> (default: $DOCKER_HOST)";
      if (noDockerLogged.compareAndSet(false, true)) {
        System.err.println("kube rig: " + message);
      }
      final Map<String, ContainerState> result = new LinkedHashMap<>();
      containers.forEach(c -> result.put(c.getName(), ContainerState.of(Phase.NO_DOCKER, "CreateContainerError",
          message)));
      return result;
    }
    final String uid = pod.getMetadata().getUid();
    PodRecord record = byUid.get(uid);
    if (record == null) {
      final PodRecord r = new PodRecord(ns, name, uid);
      if (PodVolumes.needed(pod.getSpec().getVolumes())) {
        r.volumes = new PodVolumes(podDirectory(uid), ns, pod.getSpec().getVolumes(), volumeApi());
      }
      for (Container c : containers) {
        r.names.put(c.getName(), containerName(ns, name, c.getName()));
        r.states.put(c.getName(), ContainerState.of(Phase.CREATING, "ContainerCreating", null));
      }
      record = byUid.putIfAbsent(uid, r);
      if (record == null) {
        record = r;
        final List<Container> copy = new ArrayList<>(containers);
        submit(() -> start(r, copy)); // after the record is in the map: start() checks that it still is
      }
    }
    final PodRecord tracked = record;
    final Map<String, ContainerState> result = new LinkedHashMap<>();
    tracked.names.keySet().forEach(c -> result.put(c, tracked.states.get(c)));
    return result;
  }

  /** Removes the containers of tracked pods whose uid is not among {@code liveUids}. */
  void retain(Set<String> liveUids) {
    for (PodRecord r : new ArrayList<>(byUid.values())) {
      if (!liveUids.contains(r.uid)) {
        remove(r);
      }
    }
  }

  /** Interface for the dispatcher: is the pod (namespace, name) stored with this uid and not being deleted? */
  interface Liveness {
    boolean alive(String namespace, String pod, String uid);
  }

  /** After deletions: removes the containers of tracked pods that are gone. */
  void sweep(Liveness liveness) {
    for (PodRecord r : new ArrayList<>(byUid.values())) {
      if (!liveness.alive(r.namespace, r.pod, r.uid)) {
        remove(r);
      }
    }
  }

  private void remove(PodRecord r) {
    if (byUid.remove(r.uid, r)) {
      // on the docker thread, after the pod's start: by id where known (a pod of the same name, e.g. a recreated
      // StatefulSet pod, may already have its own container under the name), else by name unless it is in use
      submit(() -> {
        final List<String> targets = new ArrayList<>();
        for (Map.Entry<String, String> e : r.names.entrySet()) {
          final ContainerState state = r.states.get(e.getKey());
          if (state != null && state.id != null) {
            targets.add(state.id.substring("docker://".length()));
          } else if (byUid.values().stream().noneMatch(o -> o.names.containsValue(e.getValue()))) {
            targets.add(e.getValue());
          }
        }
        removeAll(targets); // "No such container" for names never created: fine
        if (r.volumes != null) {
          r.volumes.delete();
        }
      });
    }
  }

  /** The tracked container of the pod with this uid (null container: the only one), if any. */
  Optional<Target> target(String uid, String container) {
    final PodRecord r = byUid.get(uid);
    if (r == null) {
      return Optional.empty();
    }
    final String c = container != null ? container : r.names.size() == 1 ? r.names.keySet().iterator().next() : null;
    if (c == null || !r.names.containsKey(c)) {
      return Optional.empty();
    }
    return Optional.of(new Target(r.names.get(c), r.states.get(c)));
  }

  /** How many pods have tracked containers now. */
  int trackedPods() {
    return byUid.size();
  }

  // ---------------------------------------------------------------- docker work (docker thread)

  private void submit(Runnable task) {
    schedule(task, 0);
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      executor.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          System.err.println("kube rig: docker task failed: " + e);
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void start(PodRecord r, List<Container> containers) {
    ensureEventsWatcher();
    if (!setUpVolumes(r, containers)) {
      return;
    }
    for (Container c : containers) {
      if (closed.get() || byUid.get(r.uid) != r) {
        return;
      }
      final String name = r.names.get(c.getName());
      final List<String> mounts;
      try {
        mounts = r.volumes == null ? List.of() : r.volumes.mountOptions(c);
      } catch (PodVolumes.MountFailed e) {
        r.states.put(c.getName(), ContainerState.of(Phase.FAILED, "CreateContainerConfigError", e.getMessage()));
        onChange.run();
        continue;
      }
      startedNames.add(name);
      final List<String> args = new ArrayList<>(List.of("run", "-d", "--pull", "never", "--network", "none",
          "--name", name, "--label", POD_LABEL + "=" + r.namespace + "/" + r.pod, "--label",
          CONTAINER_LABEL + "=" + c.getName(), "--label", INSTANCE_LABEL + "=" + instance));
      args.addAll(mounts);
      for (EnvVar env : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
        if (env.getValueFrom() == null) {
          args.add("-e");
          args.add(env.getName() + "=" + (env.getValue() == null ? "" : env.getValue()));
        }
      }
      if (c.getWorkingDir() != null && !c.getWorkingDir().isEmpty()) {
        args.add("-w");
        args.add(c.getWorkingDir());
      }
      final List<String> command = Optional.ofNullable(c.getCommand()).orElse(List.of());
      if (!command.isEmpty()) {
        args.add("--entrypoint");
        args.add(command.get(0));
      }
      args.add(c.getImage());
      if (command.size() > 1) {
        args.addAll(command.subList(1, command.size()));
      }
      args.addAll(Optional.ofNullable(c.getArgs()).orElse(List.of()));
      final Result run = docker(RUN_TIMEOUT_SECONDS, args);
      if (run.exitCode != 0) {
        final String message = run.message();
        final boolean noImage = message.contains("No such image") || message.contains("Unable to find image")
            || message.contains("pull access denied") || message.contains("not found: manifest unknown");
        r.states.put(c.getName(), ContainerState.of(Phase.FAILED, noImage ? "ErrImageNeverPull" : "RunContainerError",
            noImage ? "Container image \"" + c.getImage() + "\" is not present with pull policy of Never: " + message
                : message));
      } else {
        r.states.put(c.getName(), inspect(name));
      }
      onChange.run();
    }
  }

  /**
   * Sets up the pod's volumes before its containers start, as the kubelet does. A volume that cannot be set up (its
   * configMap or secret missing) leaves the containers ContainerCreating, writes a FailedMount Warning event and is
   * tried again later.
   *
   * @return whether the containers may start
   */
  private boolean setUpVolumes(PodRecord r, List<Container> containers) {
    if (r.volumes == null || r.volumesReady) {
      return true;
    }
    try {
      r.volumes.setUp();
      r.volumesReady = true;
      startResync();
      return true;
    } catch (PodVolumes.MountFailed | KubernetesClientException e) {
      volumeApi().warn(r.namespace, r.pod, r.uid, "FailedMount", e.getMessage());
      final long delay = r.mountRetryMillis;
      r.mountRetryMillis = Math.min(delay * 2, MOUNT_RETRY_MAX_MILLIS);
      schedule(() -> {
        if (!closed.get() && byUid.get(r.uid) == r) {
          start(r, containers);
        }
      }, delay);
      return false;
    }
  }

  /** The kubelet's periodic sync of projected volumes, from the first pod with volumes on. */
  private void startResync() {
    if (resyncStarted.compareAndSet(false, true)) {
      executor.scheduleWithFixedDelay(() -> {
        for (PodRecord r : byUid.values()) {
          try {
            if (r.volumes != null && r.volumesReady) {
              r.volumes.resync();
            }
          } catch (KubernetesClientException e) {
            System.err.println("kube rig: volumes of " + r.namespace + "/" + r.pod + ": " + e.getMessage());
          }
        }
      }, VOLUME_RESYNC_MILLIS, VOLUME_RESYNC_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized Path podDirectory(String uid) {
    try {
      if (volumesRoot == null) {
        volumesRoot = Files.createTempDirectory("kube-rig-pods-");
      }
      return volumesRoot.resolve(uid);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private PodVolumes.Api volumeApi() {
    return new PodVolumes.Api() {
      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return api == null ? Optional.empty()
            : Optional.ofNullable(api.configMaps().inNamespace(namespace).withName(name).get());
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return api == null ? Optional.empty()
            : Optional.ofNullable(api.secrets().inNamespace(namespace).withName(name).get());
      }

      @Override
      public void warn(String namespace, String pod, String uid, String reason, String message) {
        if (api == null) {
          System.err.println("kube rig: " + namespace + "/" + pod + ": " + reason + ": " + message);
          return;
        }
        final String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
          api.v1().events().inNamespace(namespace).resource(new EventBuilder().withNewMetadata()
              .withName(pod + "." + Long.toHexString(System.nanoTime())).withNamespace(namespace).endMetadata()
              .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(pod).withNamespace(namespace)
              .withUid(uid).endInvolvedObject().withType("Warning").withReason(reason).withMessage(message)
              .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).withNewSource().withComponent("kubelet")
              .endSource().build()).create();
        } catch (KubernetesClientException e) {
          System.err.println("kube rig: event " + reason + " for " + namespace + "/" + pod + ": " + e.getMessage());
        }
      }
    };
  }

  /** Re-reads the state of a container after docker reported its death. */
  private void refresh(String dockerName) {
    for (PodRecord r : byUid.values()) {
      for (Map.Entry<String, String> e : r.names.entrySet()) {
        if (e.getValue().equals(dockerName) && r.states.get(e.getKey()).phase == Phase.RUNNING) {
          r.states.put(e.getKey(), inspect(dockerName));
          onChange.run();
        }
      }
    }
  }

  private ContainerState inspect(String name) {
    final Result inspect = docker(30, List.of("inspect", "--type", "container", name));
    if (inspect.exitCode != 0) {
      return ContainerState.of(Phase.FAILED, "RunContainerError", inspect.message());
    }
    try {
      final JsonNode c = Serialization.jsonMapper().readTree(inspect.out).path(0);
      final JsonNode state = c.path("State");
      final String id = "docker://" + c.path("Id").asText();
      final String startedAt = timestamp(state.path("StartedAt").asText());
      if (state.path("Running").asBoolean()) {
        return new ContainerState(Phase.RUNNING, null, null, id, startedAt, null, 0);
      }
      if ("created".equals(state.path("Status").asText())) {
        return ContainerState.of(Phase.CREATING, "ContainerCreating", null);
      }
      final int exit = state.path("ExitCode").asInt();
      final String error = state.path("Error").asText("");
      return new ContainerState(Phase.EXITED, exit == 0 ? "Completed" : "Error", error.isEmpty() ? null : error, id,
          startedAt, timestamp(state.path("FinishedAt").asText()), exit);
    } catch (IOException e) {
      return ContainerState.of(Phase.FAILED, "RunContainerError", "docker inspect " + name + ": " + e.getMessage());
    }
  }

  private static String timestamp(String docker) {
    try {
      return Instant.parse(docker).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  /** {@code docker events} for deaths of this rig's containers; replays from the rig's start, so no gap. */
  private void ensureEventsWatcher() {
    if (!eventsStarted.compareAndSet(false, true)) {
      return;
    }
    final Thread t = new Thread(() -> {
      while (!closed.get()) {
        try {
          final Process p = process(List.of("events", "--since", String.valueOf(since), "--filter", "type=container",
              "--filter", "event=die", "--filter", "label=" + INSTANCE_LABEL + "=" + instance, "--format",
              "{{.Actor.Attributes.name}}"));
          events = p;
          p.getOutputStream().close();
          drainAsync(p.getErrorStream());
          try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
              StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
              final String name = line.trim();
              if (!name.isEmpty()) {
                submit(() -> refresh(name));
              }
            }
          }
          p.waitFor();
          processes.remove(p);
        } catch (IOException e) {
          if (!closed.get()) {
            System.err.println("kube rig: docker events: " + e.getMessage());
          }
        } catch (InterruptedException e) {
          return;
        }
        if (!closed.get()) {
          try {
            Thread.sleep(1000); // the daemon went away: try again
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "kube-rig-docker-events");
    t.setDaemon(true);
    t.start();
  }

  // ---------------------------------------------------------------- docker CLI

  /** Starts a docker CLI process against the configured host; destroyed on close if still running. */
  Process process(List<String> args) throws IOException {
    if (dockerHost == null) {
      throw new IOException("the kube rig has no docker host");
    }
    if (closed.get()) {
      throw new IOException("the kube rig is closed");
    }
    return spawn(args, false);
  }

  private Process spawn(List<String> args, boolean mergeErr) throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(System.getProperty("kube.rig.docker", "docker"));
    command.addAll(args);
    final ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("DOCKER_HOST", dockerHost);
    pb.environment().remove("DOCKER_CONTEXT");
    pb.redirectErrorStream(mergeErr);
    final Process p = pb.start();
    processes.add(p);
    p.onExit().thenRun(() -> processes.remove(p));
    return p;
  }

  /** Runs a docker CLI command to its end (killed after the timeout). */
  Result docker(long timeoutSeconds, List<String> args) {
    if (dockerHost == null || closed.get()) {
      return new Result(-1, "", dockerHost == null ? "the kube rig has no docker host" : "the kube rig is closed");
    }
    return run(timeoutSeconds, args, false);
  }

  /** {@code docker logs ...}: the container's stdout and stderr as docker writes them, in {@link Result#out}. */
  Result logs(List<String> args) {
    if (dockerHost == null || closed.get()) {
      return new Result(-1, "", dockerHost == null ? "the kube rig has no docker host" : "the kube rig is closed");
    }
    return run(30, args, true);
  }

  private Result run(long timeoutSeconds, List<String> args) {
    return run(timeoutSeconds, args, false);
  }

  private Result run(long timeoutSeconds, List<String> args, boolean mergeErr) {
    final Process p;
    try {
      p = spawn(args, mergeErr);
    } catch (IOException e) {
      return new Result(-1, "", "docker " + args.get(0) + ": " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      final CompletableFuture<String> err = drainAsync(p.getErrorStream());
      final byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "", "docker " + args.get(0) + " did not finish in " + timeoutSeconds + " s");
      }
      // all of stderr, not what the reader had got when the process ended (docker's message comes last)
      final String errText = err.get(5, TimeUnit.SECONDS);
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), errText);
    } catch (ExecutionException | TimeoutException e) {
      return new Result(p.exitValue(), "", "docker " + args.get(0) + ": its stderr could not be read: " + e);
    } catch (IOException e) {
      p.destroyForcibly();
      return new Result(-1, "", "docker " + args.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "", "docker " + args.get(0) + ": interrupted");
    }
  }

  /** Reads the stream to its end on a thread of its own; the future completes with all of it. */
  private static CompletableFuture<String> drainAsync(InputStream in) {
    final CompletableFuture<String> text = new CompletableFuture<>();
    final Thread t = new Thread(() -> {
      try (InputStream s = in) {
        text.complete(new String(s.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.complete(""); // process gone
      }
    }, "kube-rig-docker-stderr");
    t.setDaemon(true);
    t.start();
    return text;
  }

  /**
   * Stops the docker work and removes every container this rig started: by the names it recorded and by its
   * instance label. Exec and port-forward processes still running are destroyed.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    executor.shutdown(); // queued removals still run; queued starts see closed and return
    try {
      if (!executor.awaitTermination(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (Process p : new ArrayList<>(processes)) {
      p.destroy();
    }
    if (api != null) {
      api.close();
    }
    if (dockerHost == null) {
      return;
    }
    byUid.clear();
    final List<String> names = new ArrayList<>(startedNames);
    Collections.sort(names);
    removeAll(names);
    final Result left = run(60, List.of("ps", "-aq", "--filter", "label=" + POD_LABEL, "--filter",
        "label=" + INSTANCE_LABEL + "=" + instance));
    final List<String> ids = new ArrayList<>();
    for (String line : left.out.split("\n")) {
      if (!line.isBlank()) {
        ids.add(line.trim());
      }
    }
    removeAll(ids);
    deleteVolumes();
  }

  private synchronized void deleteVolumes() {
    if (volumesRoot != null) {
      PodVolumes.deleteTree(volumesRoot);
    }
  }

  private void removeAll(List<String> namesOrIds) {
    if (!namesOrIds.isEmpty()) {
      final List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
      rm.addAll(namesOrIds);
      run(60, rm);
    }
  }
}
