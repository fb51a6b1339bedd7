package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.llmstack.kuberig.ClusterState.live;

/**
 * Plays the controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, PVC binding) and the kubelet against
 * the rig's API server. Reacts to informer events on Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, Pods
 * and PVCs in all namespaces; every reconcile pass reads fresh state from the server ({@link ClusterState}) and
 * writes status only through the {@code /status} subresource. One thread; timers (ready-after-seconds, progress
 * deadlines) are scheduled, never polled. Simulated, not a real kubelet or kube-controller-manager.
 */
public final class KubeletSimulator {

  /** Pod template annotation naming a failure state: ErrImageNeverPull, ImagePullBackOff, CrashLoopBackOff, Unschedulable, NeverReady. */
  public static final String FAIL_ANNOTATION = "rig.llmstack.dev/fail";
  /** Pod template annotation: the pod becomes ready N seconds after its containers started. */
  public static final String READY_AFTER_ANNOTATION = "rig.llmstack.dev/ready-after-seconds";
  /** Pod template annotation: the container log served by the log subresource (lines separated by \n). */
  public static final String LOG_ANNOTATION = RigDispatcher.LOG_ANNOTATION;
  /** Pod template annotation: seconds a deleted pod lingers with its deletionTimestamp (default 0). */
  public static final String TERMINATING_SECONDS_ANNOTATION = Deletions.TERMINATING_SECONDS_ANNOTATION;

  static final String NODE_CPUS = "4";
  static final String NODE_MEMORY = "8Gi";

  private final KubernetesClient client;
  private final KubernetesClient kubeletClient;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    final Thread t = new Thread(r, "kube-rig-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Set<Instant> scheduledWakes = ConcurrentHashMap.newKeySet();
  private final DockerPods docker;
  private final ClusterWriter writer;
  /** In the order they act in a pass: ReplicaSets' status before their Deployments'. */
  private final List<Kind<?>> controllers;
  private final Kubelet kubelet;

  /** The objects of one kind in a pass, and their controller. */
  private record Kind<T extends HasMetadata>(Function<ClusterState, List<T>> objects, Controller<T> controller) {
    boolean sync(ClusterState cluster) {
      boolean changed = false;
      for (T o : live(objects.apply(cluster))) {
        changed |= controller.sync(o, cluster);
      }
      return changed;
    }

    boolean status(ClusterState cluster) {
      boolean changed = false;
      for (T o : live(objects.apply(cluster))) {
        changed |= controller.status(o, cluster);
      }
      return changed;
    }
  }

  /**
   * @param client the controllers' client (closed with the simulator)
   * @param kubeletClient the kubelet's, for pod status (closed with the simulator)
   */
  KubeletSimulator(KubernetesClient client, KubernetesClient kubeletClient, DockerPods docker) {
    this.client = client;
    this.kubeletClient = kubeletClient;
    this.docker = docker;
    this.writer = new ClusterWriter(client, kubeletClient);
    final ControllerRevisions revisions = new ControllerRevisions(writer);
    this.controllers = List.of(
        new Kind<>(c -> c.replicaSets, new ReplicaSetController(writer)),
        new Kind<>(c -> c.deployments, new DeploymentController(writer, this::wakeAt)),
        new Kind<>(c -> c.statefulSets, new StatefulSetController(writer, revisions)),
        new Kind<>(c -> c.daemonSets, new DaemonSetController(writer, revisions)),
        new Kind<>(c -> c.jobs, new JobController(writer)));
    this.kubelet = new Kubelet(writer, docker, this::wakeAt);
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
    final Node node = new NodeBuilder()
        .withNewMetadata().withName(ClusterWriter.NODE)
        .addToLabels("kubernetes.io/hostname", ClusterWriter.NODE)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("minikube.k8s.io/name", ClusterWriter.NODE)
        .addToLabels("minikube.k8s.io/primary", "true")
        .addToLabels("node-role.kubernetes.io/control-plane", "")
        .endMetadata()
        .build();
    client.resource(node).createOr(existing -> existing.update());
    node.setStatus(new NodeStatusBuilder()
        .withCapacity(resources)
        .withAllocatable(resources)
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("kubelet is posting ready status").endCondition()
        .addNewAddress().withType("InternalIP").withAddress(Kubelet.HOST_IP).endAddress()
        .addNewAddress().withType("Hostname").withAddress(ClusterWriter.NODE).endAddress()
        .withNewNodeInfo().withKubeletVersion("v1.31.0").withContainerRuntimeVersion("docker://20.10").withOperatingSystem("linux")
        .withArchitecture("amd64").endNodeInfo()
        .build());
    client.resource(node).updateStatus();
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
    informers.add(client.apps().replicaSets().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.pods().inAnyNamespace().inform(cast(handler), 0));
    informers.add(client.persistentVolumeClaims().inAnyNamespace().inform(cast(handler), 0));
    trigger();
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  /** How many watches the simulator keeps open: one per informer, each across all namespaces. */
  int watches() {
    return informers.size();
  }

  /**
   * When the simulator last wrote the fully-ready status of a workload (Deployment, StatefulSet, DaemonSet: rolled
   * out and ready; Job: complete; bare Pod: ready), by namespace and name.
   */
  public Optional<Instant> markedReadyAt(String namespace, String workloadName) {
    return writer.markedReadyAt(namespace, workloadName);
  }

  /**
   * Deletes a pod so that its controller recreates it (a Deployment's ReplicaSet under a new name, a StatefulSet under
   * the same).
   */
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
    client.close();
    kubeletClient.close();
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

  void wakeAt(Instant when) {
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

  /**
   * Every controller and the kubelet act once on the same snapshot, as independent controllers acting on their
   * caches would; what one wrote, the others see in the next pass.
   *
   * @return whether anything was written (another pass is due)
   */
  private boolean reconcileOnce() {
    writer.newPass();
    final ClusterState cluster = ClusterState.read(client, writer::deletedInPass);
    final List<Pod> livePods = live(cluster.pods);
    final Set<String> liveUids = livePods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    docker.retain(liveUids);
    kubelet.retain(liveUids);

    // 1. controllers: create, scale and delete
    boolean changed = false;
    for (Kind<?> kind : controllers) {
      changed |= kind.sync(cluster);
    }

    // 2. PVC binding
    for (PersistentVolumeClaim pvc : live(cluster.claims)) {
      changed |= bindPvc(pvc);
    }

    // 3. kubelet: pod status (pods being deleted keep theirs)
    final Kubelet.Readiness readiness = new Kubelet.Readiness(cluster.deployments, cluster.statefulSets,
        cluster.daemonSets);
    for (Pod pod : livePods) {
      changed |= kubelet.podStatus(pod, readiness, cluster.now);
    }

    // 4. controllers: status from the pods' (new) status
    for (Kind<?> kind : controllers) {
      changed |= kind.status(cluster);
    }
    return changed;
  }

  /** The volume binder of a cluster with a default StorageClass: every claim Bound, capacity = the request. */
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
    return writer.writeStatus(pvc, old, s, null, () -> pvc.setStatus(s));
  }

  /** Ready by its conditions: {@code Ready=True}. */
  static boolean isReady(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
