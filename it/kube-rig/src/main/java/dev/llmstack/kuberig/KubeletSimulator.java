package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Plays the controllers (Deployment, StatefulSet, DaemonSet, Job, PVC binding, scheduling) and the kubelet against
 * the rig's API server. Reacts to informer events on Deployments, StatefulSets, DaemonSets, Jobs, Pods and PVCs in
 * all namespaces; every reconcile pass reads fresh state from the server and writes status only through the
 * {@code /status} subresource. One thread; timers (ready-after-seconds, progress deadlines) are scheduled, never
 * polled. Simulated, not a real kubelet.
 */
public final class KubeletSimulator {

  /** Pod template annotation naming a failure state: ErrImageNeverPull, ImagePullBackOff, CrashLoopBackOff, Unschedulable, NeverReady. */
  public static final String FAIL_ANNOTATION = "rig.llmstack.dev/fail";
  /** Pod template annotation: the pod becomes ready N seconds after its containers started. */
  public static final String READY_AFTER_ANNOTATION = "rig.llmstack.dev/ready-after-seconds";
  /** Pod template annotation: the container log served by the log subresource (lines separated by \n). */
  public static final String LOG_ANNOTATION = RigDispatcher.LOG_ANNOTATION;

  static final String NODE = "minikube";
  static final String NODE_CPUS = "4";
  static final String NODE_MEMORY = "8Gi";
  static final String HOST_IP = "192.168.49.2";
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper CANONICAL = Serialization.jsonMapper().copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    final Thread t = new Thread(r, "kube-rig-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, Instant> markedReadyAt = new ConcurrentHashMap<>();
  private final Set<String> currentlyReady = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> runningSince = new ConcurrentHashMap<>();
  private final Set<String> eventsEmitted = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> rolloutStart = new ConcurrentHashMap<>();
  private final Set<String> rolloutComplete = ConcurrentHashMap.newKeySet();
  private final Set<Instant> scheduledWakes = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ipCounter = new AtomicInteger();
  private final DockerPods docker;

  KubeletSimulator(KubernetesClient client, boolean ownsClient, DockerPods docker) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.docker = docker;
  }

  void start() {
    registerNode();
    final ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        trigger();
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        trigger();
      }

      @Override
      public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        trigger();
      }
    };
    informers.add(client.apps().deployments().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.apps().statefulSets().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.apps().daemonSets().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.batch().v1().jobs().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.pods().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.persistentVolumeClaims().inAnyNamespace().inform(cast(handler), 0));
    trigger();
  }

  /**
   * The kubelet registers its Node (https://kubernetes.io/docs/concepts/architecture/nodes/#self-registration-of-nodes)
   * and reports its capacity and allocatable (https://kubernetes.io/docs/reference/node/node-status/#capacity): here a
   * minikube node as the stand-in minikube's default profile is sized (4 CPUs, 8192 MB), with minikube's labels and no
   * reservations (allocatable = capacity, as minikube configures the kubelet). The scheduler is not simulated: nothing
   * is counted against it (a pod is Unschedulable only by the fail annotation).
   */
  private void registerNode() {
    final Map<String, Quantity> resources = Map.of(
        "cpu", new Quantity(NODE_CPUS), "memory", new Quantity(NODE_MEMORY), "pods", new Quantity("110"));
    final io.fabric8.kubernetes.api.model.Node node = new io.fabric8.kubernetes.api.model.NodeBuilder()
        .withNewMetadata().withName(NODE)
        .addToLabels("kubernetes.io/hostname", NODE)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("minikube.k8s.io/name", NODE)
        .addToLabels("minikube.k8s.io/primary", "true")
        .addToLabels("node-role.kubernetes.io/control-plane", "")
        .endMetadata()
        .build();
    client.resource(node).createOr(existing -> existing.update());
    node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
        .withCapacity(resources)
        .withAllocatable(resources)
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("kubelet is posting ready status").endCondition()
        .addNewAddress().withType("InternalIP").withAddress(HOST_IP).endAddress()
        .addNewAddress().withType("Hostname").withAddress(NODE).endAddress()
        .withNewNodeInfo().withKubeletVersion("v1.31.0").withContainerRuntimeVersion("docker://20.10").withOperatingSystem("linux")
        .withArchitecture("amd64").endNodeInfo()
        .build());
    client.resource(node).updateStatus();
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  /**
   * When the simulator last wrote the fully-ready status of a workload (Deployment, StatefulSet, DaemonSet: rolled
   * out and ready; Job: complete; bare Pod: ready), by namespace and name.
   */
  public Optional<Instant> markedReadyAt(String namespace, String workloadName) {
    return Optional.ofNullable(markedReadyAt.get(namespace + "/" + workloadName));
  }

  /** Deletes a pod so that its controller recreates it (a Deployment under a new name, a StatefulSet under the same). */
  public void replacePod(String namespace, String podName) {
    client.pods().inNamespace(namespace).withName(podName).delete();
  }

  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    informers.forEach(SharedIndexInformer::close);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsClient) {
      client.close();
    }
  }

  void trigger() {
    if (closed.get()) {
      return;
    }
    if (pending.compareAndSet(false, true)) {
      try {
        executor.execute(this::reconcileLoop);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void wakeAt(Instant when) {
    if (closed.get() || !scheduledWakes.add(when)) {
      return;
    }
    final long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis()) + 5;
    try {
      executor.schedule(() -> {
        scheduledWakes.remove(when);
        trigger();
      }, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void reconcileLoop() {
    pending.set(false);
    try {
      for (int i = 0; i < 50 && !closed.get(); i++) {
        if (!reconcileOnce()) {
          return;
        }
      }
    } catch (RuntimeException e) {
      if (!closed.get()) {
        System.err.println("kube rig: kubelet simulator pass failed, retrying: " + e);
        wakeAt(Instant.now().plusMillis(200));
      }
    }
  }

  // ==================================================================== one pass

  /** @return whether anything was written (another pass is due). */
  private boolean reconcileOnce() {
    final Instant now = Instant.now();
    final List<Pod> pods = live(client.pods().inAnyNamespace().list().getItems());
    final List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
    final List<StatefulSet> statefulSets = client.apps().statefulSets().inAnyNamespace().list().getItems();
    final List<DaemonSet> daemonSets = client.apps().daemonSets().inAnyNamespace().list().getItems();
    final List<Job> jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems();
    final List<PersistentVolumeClaim> pvcs = client.persistentVolumeClaims().inAnyNamespace().list().getItems();
    docker.retain(pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet()));

    // 1. controllers: create and delete pods (and PVCs); a change means a fresh pass
    boolean changed = false;
    for (Deployment d : live(deployments)) {
      changed |= deploymentPods(d, ownedBy(pods, d), now);
    }
    for (StatefulSet s : live(statefulSets)) {
      changed |= statefulSetPods(s, ownedBy(pods, s), pvcs);
    }
    for (DaemonSet d : live(daemonSets)) {
      changed |= daemonSetPods(d, ownedBy(pods, d));
    }
    for (Job j : live(jobs)) {
      changed |= jobPods(j, ownedBy(pods, j));
    }
    if (changed) {
      return true;
    }

    // 2. PVC binding
    for (PersistentVolumeClaim pvc : live(pvcs)) {
      changed |= bindPvc(pvc);
    }

    // 3. kubelet: pod status
    final Readiness readiness = new Readiness(deployments, statefulSets, daemonSets);
    for (Pod pod : pods) {
      changed |= podStatus(pod, readiness, now);
    }

    // 4. controllers: workload status from the pods' (new) status
    for (Deployment d : live(deployments)) {
      changed |= deploymentStatus(d, ownedBy(pods, d), now);
    }
    for (StatefulSet s : live(statefulSets)) {
      changed |= statefulSetStatus(s, ownedBy(pods, s));
    }
    for (DaemonSet d : live(daemonSets)) {
      changed |= daemonSetStatus(d, ownedBy(pods, d));
    }
    for (Job j : live(jobs)) {
      changed |= jobStatus(j, ownedBy(pods, j), now);
    }
    return changed;
  }

  // ==================================================================== Deployment

  private boolean deploymentPods(Deployment d, List<Pod> owned, Instant now) {
    final String hash = templateHash(d.getSpec().getTemplate());
    final int desired = replicas(d.getSpec().getReplicas());
    rolloutStart.putIfAbsent(d.getMetadata().getUid() + "/" + hash, now);
    final List<Pod> current = owned.stream().filter(p -> hash.equals(label(p, "pod-template-hash")))
        .collect(Collectors.toList());
    final List<Pod> old = owned.stream().filter(p -> !current.contains(p)).collect(Collectors.toList());
    boolean changed = false;
    for (int i = current.size(); i < desired; i++) {
      final Map<String, String> labels = new LinkedHashMap<>(templateLabels(d.getSpec().getTemplate()));
      labels.put("pod-template-hash", hash);
      createPod(d, d.getSpec().getTemplate(), d.getMetadata().getName() + "-" + hash + "-" + random(5), labels, null);
      changed = true;
    }
    if (current.size() > desired) {
      current.sort(Comparator.comparing(KubeletSimulator::isReady));
      for (Pod p : current.subList(0, current.size() - desired)) {
        delete(p);
        changed = true;
      }
    }
    if (current.stream().filter(KubeletSimulator::isReady).count() >= desired && !old.isEmpty()) {
      old.forEach(this::delete);
      changed = true;
    }
    return changed;
  }

  private boolean deploymentStatus(Deployment d, List<Pod> owned, Instant now) {
    final String hash = templateHash(d.getSpec().getTemplate());
    final String rsName = d.getMetadata().getName() + "-" + hash;
    final String key = d.getMetadata().getUid() + "/" + hash;
    final int desired = replicas(d.getSpec().getReplicas());
    final int replicas = owned.size();
    final int updated = (int) owned.stream().filter(p -> hash.equals(label(p, "pod-template-hash"))).count();
    final int ready = (int) owned.stream().filter(KubeletSimulator::isReady).count();
    final int available = ready;
    final boolean complete = updated == desired && replicas == desired && available >= desired;
    if (complete) {
      rolloutComplete.add(key);
    }
    final DeploymentStatus old = Optional.ofNullable(d.getStatus()).orElseGet(DeploymentStatus::new);
    final DeploymentStatus s = new DeploymentStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setReplicas(nonZero(replicas));
    s.setUpdatedReplicas(nonZero(updated));
    s.setReadyReplicas(nonZero(ready));
    s.setAvailableReplicas(nonZero(available));
    s.setUnavailableReplicas(nonZero(Math.max(0, desired - available)));
    final List<DeploymentCondition> conditions = new ArrayList<>();
    conditions.add(available >= desired
        ? deploymentCondition(old, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
        : deploymentCondition(old, "Available", "False", "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.", now));
    final Instant started = rolloutStart.getOrDefault(key, now);
    final int deadlineSeconds = Optional.ofNullable(d.getSpec().getProgressDeadlineSeconds()).orElse(600);
    final Instant deadline = started.plusSeconds(deadlineSeconds);
    if (rolloutComplete.contains(key)) {
      conditions.add(deploymentCondition(old, "Progressing", "True", "NewReplicaSetAvailable",
          "ReplicaSet \"" + rsName + "\" has successfully progressed.", now));
    } else if (!now.isBefore(deadline)) {
      conditions.add(deploymentCondition(old, "Progressing", "False", "ProgressDeadlineExceeded",
          "ReplicaSet \"" + rsName + "\" has timed out progressing.", now));
    } else {
      conditions.add(deploymentCondition(old, "Progressing", "True", "ReplicaSetUpdated",
          "ReplicaSet \"" + rsName + "\" is progressing.", now));
      wakeAt(deadline);
    }
    s.setConditions(conditions);
    final boolean fullyReady = complete && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration());
    return writeStatus(d, old, s, fullyReady, () -> d.setStatus(s));
  }

  private static DeploymentCondition deploymentCondition(DeploymentStatus old, String type, String status,
      String reason, String message, Instant now) {
    final DeploymentCondition previous = old.getConditions() == null ? null
        : old.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    final String ts = timestamp(now);
    String transition = ts;
    String update = ts;
    if (previous != null && status.equals(previous.getStatus())) {
      transition = previous.getLastTransitionTime();
      if (reason.equals(previous.getReason()) && message.equals(previous.getMessage())) {
        update = previous.getLastUpdateTime();
      }
    }
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(transition).withLastUpdateTime(update).build();
  }

  // ==================================================================== StatefulSet

  private boolean statefulSetPods(StatefulSet s, List<Pod> owned, List<PersistentVolumeClaim> pvcs) {
    final String name = s.getMetadata().getName();
    final String ns = s.getMetadata().getNamespace();
    final String revision = name + "-" + templateHash(s.getSpec().getTemplate());
    final int desired = replicas(s.getSpec().getReplicas());
    final Map<Integer, Pod> byOrdinal = new HashMap<>();
    for (Pod p : owned) {
      final String n = p.getMetadata().getName();
      if (n.startsWith(name + "-")) {
        try {
          byOrdinal.put(Integer.parseInt(n.substring(name.length() + 1)), p);
        } catch (NumberFormatException e) {
          delete(p);
          return true;
        }
      } else {
        delete(p);
        return true;
      }
    }
    // scale down, highest ordinal first, one at a time
    final Optional<Integer> surplus = byOrdinal.keySet().stream().filter(i -> i >= desired).max(Integer::compare);
    if (surplus.isPresent()) {
      delete(byOrdinal.get(surplus.get()));
      return true;
    }
    // volume claims
    boolean changed = false;
    final List<PersistentVolumeClaim> templates = Optional.ofNullable(s.getSpec().getVolumeClaimTemplates())
        .orElse(List.of());
    for (int i = 0; i < desired; i++) {
      for (PersistentVolumeClaim template : templates) {
        final String claim = template.getMetadata().getName() + "-" + name + "-" + i;
        final boolean exists = pvcs.stream().anyMatch(c -> ns.equals(c.getMetadata().getNamespace())
            && claim.equals(c.getMetadata().getName()));
        if (!exists) {
          final Map<String, String> labels = new LinkedHashMap<>(
              Optional.ofNullable(s.getSpec().getSelector().getMatchLabels()).orElse(Map.of()));
          final PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder()
              .withNewMetadata().withName(claim).withNamespace(ns).withLabels(labels)
              .withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
              .withSpec(copy(template.getSpec(), io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec.class))
              .build();
          ignoreConflict(() -> client.persistentVolumeClaims().inNamespace(ns).resource(pvc).create());
          changed = true;
        }
      }
    }
    // ordered creation: the next pod only once all before it are ready
    for (int i = 0; i < desired; i++) {
      final Pod p = byOrdinal.get(i);
      if (p == null) {
        final Map<String, String> labels = new LinkedHashMap<>(templateLabels(s.getSpec().getTemplate()));
        labels.put("controller-revision-hash", revision);
        labels.put("statefulset.kubernetes.io/pod-name", name + "-" + i);
        labels.put("apps.kubernetes.io/pod-index", String.valueOf(i));
        final List<Volume> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : templates) {
          claims.add(new VolumeBuilder().withName(template.getMetadata().getName()).withNewPersistentVolumeClaim()
              .withClaimName(template.getMetadata().getName() + "-" + name + "-" + i).endPersistentVolumeClaim()
              .build());
        }
        createPod(s, s.getSpec().getTemplate(), name + "-" + i, labels, claims);
        return true;
      }
      if (!isReady(p)) {
        return changed;
      }
    }
    // rolling update: all pods exist and are ready; replace the highest-ordinal outdated pod
    for (int i = desired - 1; i >= 0; i--) {
      final Pod p = byOrdinal.get(i);
      if (!revision.equals(label(p, "controller-revision-hash"))) {
        delete(p);
        return true;
      }
    }
    return changed;
  }

  private boolean statefulSetStatus(StatefulSet s, List<Pod> owned) {
    final String revision = s.getMetadata().getName() + "-" + templateHash(s.getSpec().getTemplate());
    final int desired = replicas(s.getSpec().getReplicas());
    final StatefulSetStatus old = Optional.ofNullable(s.getStatus()).orElseGet(StatefulSetStatus::new);
    final int ready = (int) owned.stream().filter(KubeletSimulator::isReady).count();
    final int updated = (int) owned.stream().filter(p -> revision.equals(label(p, "controller-revision-hash"))).count();
    String currentRevision = old.getCurrentRevision() == null ? revision : old.getCurrentRevision();
    if (updated == desired && ready == desired && owned.size() == desired) {
      currentRevision = revision;
    }
    final String currentRev = currentRevision;
    final StatefulSetStatus st = new StatefulSetStatus();
    st.setObservedGeneration(s.getMetadata().getGeneration());
    st.setReplicas(owned.size());
    st.setReadyReplicas(nonZero(ready));
    st.setAvailableReplicas(nonZero(ready));
    st.setCurrentReplicas(nonZero((int) owned.stream()
        .filter(p -> currentRev.equals(label(p, "controller-revision-hash"))).count()));
    st.setUpdatedReplicas(nonZero(updated));
    st.setCurrentRevision(currentRevision);
    st.setUpdateRevision(revision);
    st.setCollisionCount(0);
    final boolean fullyReady = ready == desired && owned.size() == desired && updated == desired
        && revision.equals(currentRevision);
    return writeStatus(s, old, st, fullyReady, () -> s.setStatus(st));
  }

  // ==================================================================== DaemonSet (one node)

  private boolean daemonSetPods(DaemonSet d, List<Pod> owned) {
    final String hash = templateHash(d.getSpec().getTemplate());
    for (Pod p : owned) {
      if (!hash.equals(label(p, "controller-revision-hash"))) {
        delete(p);
        return true;
      }
    }
    if (owned.size() > 1) {
      owned.subList(1, owned.size()).forEach(this::delete);
      return true;
    }
    if (owned.isEmpty()) {
      final Map<String, String> labels = new LinkedHashMap<>(templateLabels(d.getSpec().getTemplate()));
      labels.put("controller-revision-hash", hash);
      labels.put("pod-template-generation", String.valueOf(d.getMetadata().getGeneration()));
      createPod(d, d.getSpec().getTemplate(), d.getMetadata().getName() + "-" + random(5), labels, null);
      return true;
    }
    return false;
  }

  private boolean daemonSetStatus(DaemonSet d, List<Pod> owned) {
    final String hash = templateHash(d.getSpec().getTemplate());
    final DaemonSetStatus old = Optional.ofNullable(d.getStatus()).orElseGet(DaemonSetStatus::new);
    final int ready = (int) owned.stream().filter(KubeletSimulator::isReady).count();
    final int updated = (int) owned.stream().filter(p -> hash.equals(label(p, "controller-revision-hash"))).count();
    final DaemonSetStatus s = new DaemonSetStatus();
    s.setObservedGeneration(d.getMetadata().getGeneration());
    s.setDesiredNumberScheduled(1);
    s.setCurrentNumberScheduled(owned.size());
    s.setNumberMisscheduled(0);
    s.setUpdatedNumberScheduled(nonZero(updated));
    s.setNumberReady(ready);
    s.setNumberAvailable(nonZero(ready));
    s.setNumberUnavailable(nonZero(Math.max(0, 1 - ready)));
    return writeStatus(d, old, s, ready == 1 && updated == 1, () -> d.setStatus(s));
  }

  // ==================================================================== Job (one pod)

  private boolean jobPods(Job j, List<Pod> owned) {
    if (jobFinished(j) || !owned.isEmpty()) {
      return false;
    }
    final String uid = j.getMetadata().getUid();
    final Map<String, String> labels = new LinkedHashMap<>(templateLabels(j.getSpec().getTemplate()));
    labels.put("batch.kubernetes.io/controller-uid", uid);
    labels.put("batch.kubernetes.io/job-name", j.getMetadata().getName());
    labels.put("controller-uid", uid);
    labels.put("job-name", j.getMetadata().getName());
    createPod(j, j.getSpec().getTemplate(), j.getMetadata().getName() + "-" + random(5), labels, null);
    return true;
  }

  private static boolean jobFinished(Job j) {
    return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  private boolean jobStatus(Job j, List<Pod> owned, Instant now) {
    final JobStatus old = Optional.ofNullable(j.getStatus()).orElseGet(JobStatus::new);
    if (jobFinished(j)) {
      return false;
    }
    final int succeeded = (int) owned.stream().filter(p -> "Succeeded".equals(phase(p))).count();
    final int failed = (int) owned.stream().filter(p -> "Failed".equals(phase(p))).count();
    final int active = owned.size() - succeeded - failed;
    final JobStatus s = new JobStatus();
    s.setStartTime(old.getStartTime() != null ? old.getStartTime() : timestamp(now));
    s.setActive(nonZero(active));
    s.setReady((int) owned.stream().filter(KubeletSimulator::isReady).count());
    s.setSucceeded(nonZero(succeeded));
    s.setFailed(nonZero(failed));
    s.setTerminating(0);
    boolean done = false;
    if (succeeded >= 1) {
      s.setCompletionTime(timestamp(now));
      s.setConditions(List.of(
          jobCondition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
          jobCondition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now)));
      done = true;
    } else if (failed >= 1) {
      s.setConditions(List.of(
          jobCondition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now),
          jobCondition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now)));
    }
    return writeStatus(j, old, s, done, () -> j.setStatus(s));
  }

  private static JobCondition jobCondition(String type, String reason, String message, Instant now) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastProbeTime(timestamp(now)).withLastTransitionTime(timestamp(now)).build();
  }

  // ==================================================================== PVC

  private boolean bindPvc(PersistentVolumeClaim pvc) {
    final PersistentVolumeClaimStatus old = pvc.getStatus();
    final PersistentVolumeClaimStatusBuilder b = new PersistentVolumeClaimStatusBuilder().withPhase("Bound");
    if (pvc.getSpec() != null) {
      b.withAccessModes(pvc.getSpec().getAccessModes());
      if (pvc.getSpec().getResources() != null && pvc.getSpec().getResources().getRequests() != null
          && pvc.getSpec().getResources().getRequests().get("storage") != null) {
        b.withCapacity(Map.of("storage", new Quantity(pvc.getSpec().getResources().getRequests().get("storage")
            .toString())));
      }
    }
    final PersistentVolumeClaimStatus s = b.build();
    return writeStatus(pvc, old, s, false, () -> pvc.setStatus(s));
  }

  // ==================================================================== kubelet: pod lifecycle

  /** Readiness of workloads by their status, for {@code wait-for-<X>} init containers. */
  private static final class Readiness {
    private final List<Deployment> deployments;
    private final List<StatefulSet> statefulSets;
    private final List<DaemonSet> daemonSets;

    Readiness(List<Deployment> deployments, List<StatefulSet> statefulSets, List<DaemonSet> daemonSets) {
      this.deployments = deployments;
      this.statefulSets = statefulSets;
      this.daemonSets = daemonSets;
    }

    boolean ready(String namespace, String x) {
      final Predicate<HasMetadata> matches = o -> namespace.equals(o.getMetadata().getNamespace())
          && (o.getMetadata().getName().equals(x) || o.getMetadata().getName().endsWith("-" + x));
      return deployments.stream().filter(matches).anyMatch(d -> d.getStatus() != null
          && value(d.getStatus().getAvailableReplicas()) >= replicas(d.getSpec().getReplicas())
          && value(d.getStatus().getObservedGeneration()) >= value(d.getMetadata().getGeneration()))
          || statefulSets.stream().filter(matches).anyMatch(s -> s.getStatus() != null
              && value(s.getStatus().getReadyReplicas()) >= replicas(s.getSpec().getReplicas()))
          || daemonSets.stream().filter(matches).anyMatch(d -> d.getStatus() != null
              && value(d.getStatus().getNumberReady()) >= 1);
    }
  }

  private boolean podStatus(Pod pod, Readiness readiness, Instant now) {
    final PodStatus old = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
    if ("Succeeded".equals(old.getPhase()) || "Failed".equals(old.getPhase())) {
      return false;
    }
    final String ns = pod.getMetadata().getNamespace();
    final String name = pod.getMetadata().getName();
    final String uid = pod.getMetadata().getUid();
    final boolean dockerBacked = DockerPods.isDockerBacked(pod);
    final String fail = dockerBacked ? null : annotation(pod, FAIL_ANNOTATION);
    final boolean jobPod = controller(pod).map(r -> "Job".equals(r.getKind())).orElse(false);
    final List<Container> inits = Optional.ofNullable(pod.getSpec().getInitContainers()).orElse(List.of());
    final List<Container> mains = Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of());

    final PodStatus s = new PodStatus();
    s.setQosClass(old.getQosClass() != null ? old.getQosClass() : "BestEffort");
    final List<PodCondition> conditions = new ArrayList<>();
    if ("Unschedulable".equals(fail)) {
      final String message = "0/1 nodes are available: 1 Insufficient memory.";
      s.setPhase("Pending");
      conditions.add(podCondition(old, "PodScheduled", "False", "Unschedulable", message, now));
      s.setConditions(conditions);
      event(pod, "Warning", "FailedScheduling", message, "default-scheduler");
      return writeStatus(pod, old, s, false, () -> pod.setStatus(s));
    }
    event(pod, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + NODE, "default-scheduler");
    s.setHostIP(HOST_IP);
    s.setHostIPs(List.of(new io.fabric8.kubernetes.api.model.HostIPBuilder().withIp(HOST_IP).build()));
    s.setPodIP(old.getPodIP() != null ? old.getPodIP() : "10.244.0." + (2 + ipCounter.getAndIncrement() % 250));
    s.setPodIPs(List.of(new PodIPBuilder().withIp(s.getPodIP()).build()));
    s.setStartTime(old.getStartTime() != null ? old.getStartTime() : timestamp(now));
    conditions.add(podCondition(old, "PodScheduled", "True", null, null, now));

    // init containers, in order
    int blockedAt = -1;
    for (int i = 0; i < inits.size(); i++) {
      final String n = inits.get(i).getName();
      if (n.startsWith("wait-for-") && !readiness.ready(ns, n.substring("wait-for-".length()))) {
        blockedAt = i;
        break;
      }
    }
    final List<ContainerStatus> initStatuses = new ArrayList<>();
    for (int i = 0; i < inits.size(); i++) {
      final Container c = inits.get(i);
      if (blockedAt < 0 || i < blockedAt) {
        initStatuses.add(containerStatus(c, old.getInitContainerStatuses(), false, false,
            new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                .withStartedAt(s.getStartTime()).withFinishedAt(s.getStartTime()).endTerminated().build(), 0));
      } else if (i == blockedAt) {
        initStatuses.add(containerStatus(c, old.getInitContainerStatuses(), false, true,
            running(s.getStartTime()), 0));
      } else {
        initStatuses.add(containerStatus(c, old.getInitContainerStatuses(), false, false,
            waiting("PodInitializing", null), 0));
      }
    }
    s.setInitContainerStatuses(initStatuses.isEmpty() ? null : initStatuses);
    final String mainNames = mains.stream().map(Container::getName).collect(Collectors.joining(" "));
    if (blockedAt >= 0) {
      s.setPhase("Pending");
      final String incomplete = inits.subList(blockedAt, inits.size()).stream().map(Container::getName)
          .collect(Collectors.joining(" "));
      conditions.add(podCondition(old, "Initialized", "False", "ContainersNotInitialized",
          "containers with incomplete status: [" + incomplete + "]", now));
      conditions.add(podCondition(old, "Ready", "False", "ContainersNotReady",
          "containers with unready status: [" + mainNames + "]", now));
      conditions.add(podCondition(old, "ContainersReady", "False", "ContainersNotReady",
          "containers with unready status: [" + mainNames + "]", now));
      s.setContainerStatuses(mains.stream().map(c -> containerStatus(c, old.getContainerStatuses(), false, false,
          waiting("PodInitializing", null), 0)).collect(Collectors.toList()));
      s.setConditions(conditions);
      return writeStatus(pod, old, s, false, () -> pod.setStatus(s));
    }
    conditions.add(podCondition(old, "Initialized", "True", null, null, now));
    if (dockerBacked) {
      return dockerPodStatus(pod, old, s, conditions, mains, mainNames, now);
    }

    final Instant since = runningSince.computeIfAbsent(uid, k -> now);
    final String sinceTs = timestamp(since);
    final List<ContainerStatus> statuses = new ArrayList<>();
    boolean ready = false;
    if ("ErrImageNeverPull".equals(fail) || "ImagePullBackOff".equals(fail)) {
      s.setPhase("Pending");
      for (Container c : mains) {
        final String message = "ErrImageNeverPull".equals(fail)
            ? "Container image \"" + c.getImage() + "\" is not present with pull policy of Never"
            : "Back-off pulling image \"" + c.getImage() + "\"";
        statuses.add(containerStatus(c, old.getContainerStatuses(), false, false, waiting(fail, message), 0));
        event(pod, "Warning", "ErrImageNeverPull".equals(fail) ? "ErrImageNeverPull" : "BackOff", message, "kubelet");
      }
    } else if ("CrashLoopBackOff".equals(fail)) {
      if (jobPod) {
        s.setPhase("Failed");
        for (Container c : mains) {
          statuses.add(containerStatus(c, old.getContainerStatuses(), false, false,
              new ContainerStateBuilder().withNewTerminated().withExitCode(1).withReason("Error")
                  .withStartedAt(sinceTs).withFinishedAt(timestamp(now)).endTerminated().build(), 0));
        }
      } else {
        s.setPhase("Running");
        for (Container c : mains) {
          final ContainerStatus cs = containerStatus(c, old.getContainerStatuses(), false, false,
              waiting("CrashLoopBackOff", "back-off 40s restarting failed container=" + c.getName() + " pod=" + name
                  + "_" + ns + "(" + uid + ")"),
              3);
          cs.setLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(1).withReason("Error")
              .withStartedAt(sinceTs).withFinishedAt(sinceTs).endTerminated().build());
          statuses.add(cs);
          event(pod, "Warning", "BackOff", "Back-off restarting failed container " + c.getName() + " in pod " + name
              + "_" + ns + "(" + uid + ")", "kubelet");
        }
      }
    } else if ("NeverReady".equals(fail)) {
      s.setPhase("Running");
      for (Container c : mains) {
        statuses.add(containerStatus(c, old.getContainerStatuses(), false, true, running(sinceTs), 0));
      }
      event(pod, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "kubelet");
    } else {
      final Instant readyAt = since.plusSeconds(readyAfterSeconds(pod));
      ready = !now.isBefore(readyAt);
      if (!ready) {
        wakeAt(readyAt);
      }
      if (ready && jobPod) {
        s.setPhase("Succeeded");
        for (Container c : mains) {
          statuses.add(containerStatus(c, old.getContainerStatuses(), false, false,
              new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                  .withStartedAt(sinceTs).withFinishedAt(timestamp(now)).endTerminated().build(), 0));
        }
        conditions.add(podCondition(old, "Ready", "False", "PodCompleted", "", now));
        conditions.add(podCondition(old, "ContainersReady", "False", "PodCompleted", "", now));
        s.setContainerStatuses(statuses);
        s.setConditions(conditions);
        return writeStatus(pod, old, s, false, () -> pod.setStatus(s));
      }
      s.setPhase("Running");
      for (Container c : mains) {
        statuses.add(containerStatus(c, old.getContainerStatuses(), ready, true, running(sinceTs), 0));
      }
      event(pod, "Normal", "Started", "Started container " + mains.stream().map(Container::getName)
          .findFirst().orElse(""), "kubelet");
    }
    s.setContainerStatuses(statuses);
    conditions.addAll(readiness(old, ready, mainNames, now));
    s.setConditions(conditions);
    final boolean bare = controller(pod).isEmpty();
    return writeStatus(pod, old, s, bare && ready, () -> pod.setStatus(s));
  }

  /**
   * A docker-backed pod's main containers as docker has them: running, exited (terminated with the exit code), or
   * waiting (being created, {@code docker run} failed, no docker host). Ready once all run; a pod that does not restart
   * its containers (restartPolicy Never/OnFailure, e.g. a Job's) succeeds or fails once all have exited.
   */
  private boolean dockerPodStatus(Pod pod, PodStatus old, PodStatus s, List<PodCondition> conditions,
      List<Container> mains, String mainNames, Instant now) {
    final Map<String, DockerPods.ContainerState> states = docker.ensure(pod);
    final List<ContainerStatus> statuses = new ArrayList<>();
    boolean allRunning = !mains.isEmpty();
    boolean allExited = !mains.isEmpty();
    boolean anyStarted = false;
    boolean anyFailed = false;
    for (Container c : mains) {
      final DockerPods.ContainerState st = states.getOrDefault(c.getName(),
          DockerPods.ContainerState.of(DockerPods.Phase.CREATING, "ContainerCreating", null));
      final ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
          .withImageID(c.getImage() == null ? "" : "docker-pullable://" + c.getImage()).withContainerID(st.id)
          .withRestartCount(0);
      switch (st.phase) {
        case RUNNING:
          anyStarted = true;
          allExited = false;
          statuses.add(b.withReady(true).withStarted(true).withState(running(st.startedAt)).build());
          event(pod, "Normal", "Started", "Started container " + c.getName(), "kubelet");
          break;
        case EXITED:
          anyStarted = true;
          allRunning = false;
          anyFailed |= st.exitCode != 0;
          statuses.add(b.withReady(false).withStarted(false).withState(new ContainerStateBuilder().withNewTerminated()
              .withExitCode(st.exitCode).withReason(st.reason).withMessage(st.message).withStartedAt(st.startedAt)
              .withFinishedAt(st.finishedAt).withContainerID(st.id).endTerminated().build()).build());
          break;
        default:
          allRunning = false;
          allExited = false;
          statuses.add(b.withReady(false).withStarted(false).withState(waiting(st.reason, st.message)).build());
          if (st.phase != DockerPods.Phase.CREATING) {
            event(pod, "Warning", st.reason, st.message, "kubelet");
          }
      }
    }
    s.setContainerStatuses(statuses);
    final String restartPolicy = Optional.ofNullable(pod.getSpec().getRestartPolicy()).orElse("Always");
    if (allExited && !"Always".equals(restartPolicy)) {
      s.setPhase(anyFailed ? "Failed" : "Succeeded");
      final String reason = anyFailed ? "PodFailed" : "PodCompleted";
      conditions.add(podCondition(old, "Ready", "False", reason, "", now));
      conditions.add(podCondition(old, "ContainersReady", "False", reason, "", now));
      s.setConditions(conditions);
      return writeStatus(pod, old, s, false, () -> pod.setStatus(s));
    }
    s.setPhase(anyStarted ? "Running" : "Pending");
    conditions.addAll(readiness(old, allRunning, mainNames, now));
    s.setConditions(conditions);
    final boolean bare = controller(pod).isEmpty();
    return writeStatus(pod, old, s, bare && allRunning, () -> pod.setStatus(s));
  }

  private static ContainerStatus containerStatus(Container c, List<ContainerStatus> old, boolean ready,
      boolean started, ContainerState state, int restartCount) {
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
        .withImageID(c.getImage() == null ? "" : "docker-pullable://" + c.getImage())
        .withContainerID(state.getWaiting() != null ? null : "docker://" + sha(c.getName() + c.getImage()).substring(0, 32))
        .withReady(ready).withStarted(started).withState(state).withRestartCount(restartCount).build();
  }

  private static ContainerState running(String startedAt) {
    return new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build();
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  private static PodCondition podCondition(PodStatus old, String type, String status, String reason, String message,
      Instant now) {
    final PodCondition previous = old.getConditions() == null ? null
        : old.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    final String transition = previous != null && status.equals(previous.getStatus())
        && previous.getLastTransitionTime() != null ? previous.getLastTransitionTime() : timestamp(now);
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message == null || message.isEmpty() ? null : message).withLastTransitionTime(transition).build();
  }

  private static long readyAfterSeconds(Pod pod) {
    final String value = annotation(pod, READY_AFTER_ANNOTATION);
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ==================================================================== writing

  private void createPod(HasMetadata owner, PodTemplateSpec template, String name, Map<String, String> labels,
      List<Volume> extraVolumes) {
    final ObjectMeta tm = Optional.ofNullable(template.getMetadata()).orElseGet(ObjectMeta::new);
    final PodSpec spec = copy(template.getSpec(), PodSpec.class);
    final Map<String, String> annotations = tm.getAnnotations() == null ? Map.of() : tm.getAnnotations();
    if (!"Unschedulable".equals(annotations.get(FAIL_ANNOTATION))) {
      spec.setNodeName(NODE);
    }
    if (extraVolumes != null && !extraVolumes.isEmpty()) {
      final List<Volume> volumes = new ArrayList<>(Optional.ofNullable(spec.getVolumes()).orElse(List.of()));
      for (Volume v : extraVolumes) {
        if (volumes.stream().noneMatch(x -> x.getName().equals(v.getName()))) {
          volumes.add(v);
        }
      }
      spec.setVolumes(volumes);
    }
    final OwnerReference ref = new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind()).withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
    final Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(tm.getAnnotations()).withOwnerReferences(ref).endMetadata()
        .withSpec(spec).build();
    ignoreConflict(() -> client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create());
  }

  private void delete(Pod pod) {
    runningSince.remove(pod.getMetadata().getUid());
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
  }

  /**
   * Writes the status through the /status subresource if it differs; records when a workload became fully ready.
   * The ready instant is recorded just before the write, so whoever sees the ready status also sees it.
   */
  private <T extends HasMetadata> boolean writeStatus(T object, Object oldStatus, Object newStatus, boolean fullyReady,
      Runnable setStatus) {
    final String key = object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    final boolean track = !(object instanceof PersistentVolumeClaim);
    final JsonNode before = Serialization.jsonMapper().valueToTree(oldStatus == null ? Map.of() : oldStatus);
    final JsonNode after = Serialization.jsonMapper().valueToTree(newStatus);
    final boolean becameReady = track && fullyReady && !currentlyReady.contains(key);
    final Instant previous = markedReadyAt.get(key);
    if (becameReady) {
      currentlyReady.add(key);
      markedReadyAt.put(key, Instant.now());
    } else if (track && !fullyReady && !(object instanceof Job)) {
      currentlyReady.remove(key);
    }
    if (before.equals(after)) {
      return false;
    }
    setStatus.run();
    object.getMetadata().setResourceVersion(null);
    try {
      client.resource(object).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (becameReady) {
        currentlyReady.remove(key);
        if (previous == null) {
          markedReadyAt.remove(key);
        } else {
          markedReadyAt.put(key, previous);
        }
      }
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      return true; // gone or changed meanwhile: another pass
    }
  }

  private void event(Pod pod, String type, String reason, String message, String component) {
    final String uid = pod.getMetadata().getUid();
    if (!eventsEmitted.add(uid + "/" + reason)) {
      return;
    }
    final String ts = timestamp(Instant.now());
    final String ns = pod.getMetadata().getNamespace();
    final Event e = new EventBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
        .withNamespace(ns).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
            .withName(pod.getMetadata().getName()).withNamespace(ns).withUid(uid).build())
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
        .withNewSource().withComponent(component).withHost("kubelet".equals(component) ? NODE : null).endSource()
        .withReportingComponent(component).withReportingInstance("kubelet".equals(component) ? NODE : "")
        .build();
    ignoreConflict(() -> client.v1().events().inNamespace(ns).resource(e).create());
  }

  private static void ignoreConflict(Runnable action) {
    try {
      action.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  // ==================================================================== helpers

  private static <T extends HasMetadata> List<T> live(List<T> objects) {
    return objects.stream().filter(o -> o.getMetadata().getDeletionTimestamp() == null).collect(Collectors.toList());
  }

  private static List<Pod> ownedBy(List<Pod> pods, HasMetadata owner) {
    final String uid = owner.getMetadata().getUid();
    return pods.stream().filter(p -> controller(p).map(r -> uid.equals(r.getUid())).orElse(false))
        .collect(Collectors.toCollection(ArrayList::new));
  }

  private static Optional<OwnerReference> controller(HasMetadata o) {
    return Optional.ofNullable(o.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static boolean isReady(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  private static String label(Pod p, String key) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(key);
  }

  private static String annotation(HasMetadata o, String key) {
    return o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(key);
  }

  private static Map<String, String> templateLabels(PodTemplateSpec t) {
    return t.getMetadata() == null || t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
  }

  private static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  private static long value(Number n) {
    return n == null ? 0 : n.longValue();
  }

  private static Integer nonZero(int n) {
    return n == 0 ? null : n;
  }

  private static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static <T> T copy(Object source, Class<T> type) {
    return Serialization.unmarshal(Serialization.asJson(source), type);
  }

  /** Ten characters of the safe alphabet from a digest of the canonical template, as the controllers name things. */
  static String templateHash(PodTemplateSpec template) {
    try {
      final Object tree = Serialization.jsonMapper().convertValue(template, Object.class);
      final byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
      final StringBuilder out = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        out.append(SAFE_ALPHABET.charAt((digest[i] & 0xff) % SAFE_ALPHABET.length()));
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha(String s) {
    try {
      final byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      final StringBuilder out = new StringBuilder();
      for (byte b : d) {
        out.append(String.format("%02x", b));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int n) {
    final StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(SAFE_ALPHABET.charAt(RANDOM.nextInt(SAFE_ALPHABET.length())));
    }
    return out.toString();
  }

  /** The pod's Ready and ContainersReady conditions, as the kubelet writes them. */
  private static List<PodCondition> readiness(PodStatus old, boolean ready, String mainNames, Instant now) {
    if (ready) {
      return List.of(podCondition(old, "Ready", "True", null, null, now),
          podCondition(old, "ContainersReady", "True", null, null, now));
    }
    String message = "containers with unready status: [" + mainNames + "]";
    return List.of(podCondition(old, "Ready", "False", "ContainersNotReady", message, now),
        podCondition(old, "ContainersReady", "False", "ContainersNotReady", message, now));
  }
}
