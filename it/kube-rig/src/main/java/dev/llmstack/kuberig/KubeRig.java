package dev.llmstack.kuberig;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A simulated Kubernetes cluster for tests: fabric8's mock API server in CRUD mode (with watches), wrapped by a
 * dispatcher that fills the gaps the plugin relies on, plus a {@link KubeletSimulator} that plays the controllers
 * and the kubelet. Plain HTTP on 127.0.0.1 and a random free port. Simulated, not a real cluster.
 */
public final class KubeRig implements AutoCloseable {

  /** Strong reference: java.util.logging keeps loggers weakly, the level would be lost. */
  private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());
  /** The User-Agent of kube-controller-manager's requests ({@code <command>/<version> (<os>/<arch>) ...}). */
  private static final String CONTROLLER_MANAGER_AGENT = "kube-controller-manager/v1.31.0-kube-rig (linux/amd64)";
  private static final String KUBELET_AGENT = "kubelet/v1.31.0-kube-rig (linux/amd64)";

  private final KubernetesMockServer server;
  private final FrontDoor frontDoor;
  private final RigDispatcher dispatcher;
  private final KubernetesClient client;
  private final KubeletSimulator kubelet;
  private final DockerPods docker;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KubeRig(KubernetesMockServer server, FrontDoor frontDoor, RigDispatcher dispatcher, DockerPods docker) {
    this.server = server;
    this.frontDoor = frontDoor;
    this.dispatcher = dispatcher;
    this.docker = docker;
    this.client = newClient();
    // The simulated controllers and kubelet reach the server directly: an outage cuts the clients off, not them.
    // Their writes are recorded under kube-controller-manager and kubelet, as a real cluster's (the API server takes
    // the manager of an update from the User-Agent), not under fabric8's name, which is any fabric8 user's.
    final String direct = "http://127.0.0.1:" + server.getPort();
    this.kubelet = new KubeletSimulator(newClient(direct, CONTROLLER_MANAGER_AGENT), newClient(direct, KUBELET_AGENT),
        docker);
    docker.onChange(kubelet::trigger);
    docker.readsFrom(newClient());
  }

  /** Starts the mock API server and the kubelet simulator, without a docker host (every pod is simulated). */
  public static KubeRig start() {
    return builder().start();
  }

  /** For a rig with options: {@code KubeRig.builder().dockerHost("unix:///...").start()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Options of a rig. */
  public static final class Builder {
    private String dockerHost;

    private Builder() {
    }

    /**
     * The Docker daemon ({@code DOCKER_HOST} syntax: {@code unix:///path}, {@code tcp://host:port}) that runs the
     * containers of pods annotated {@code rig.llmstack.dev/run: docker}; null or blank for none. The docker CLI must
     * be on the PATH (system property {@code kube.rig.docker} names another one).
     */
    public Builder dockerHost(String dockerHost) {
      this.dockerHost = dockerHost;
      return this;
    }

    /** Starts the mock API server and the kubelet simulator. */
    public KubeRig start() {
      return KubeRig.start(new DockerPods(dockerHost));
    }
  }

  private static KubeRig start(DockerPods docker) {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    final RigDispatcher dispatcher = new RigDispatcher(new RigStore(), docker);
    final KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), new HashMap<>(), dispatcher, false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    // The mock web server queues every request it receives for takeRequest(); drain it now and then so that a
    // long-running rig does not grow without bound.
    final AtomicInteger requests = new AtomicInteger();
    dispatcher.onEachRequest(() -> {
      if (requests.incrementAndGet() % 200 == 0) {
        try {
          while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // drop
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    final FrontDoor frontDoor;
    try {
      frontDoor = new FrontDoor(new InetSocketAddress("127.0.0.1", server.getPort()));
    } catch (IOException e) {
      server.destroy();
      throw new UncheckedIOException("cannot open the kube rig's port on 127.0.0.1", e);
    }
    final KubeRig rig = new KubeRig(server, frontDoor, dispatcher, docker);
    dispatcher.controlledBy(rig);
    rig.kubelet.start();
    return rig;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + frontDoor.port();
  }

  /** A fabric8 client to the rig (namespace "default"), for tests to read and write state. */
  public KubernetesClient client() {
    return client;
  }

  KubernetesClient newClient() {
    return newClient(url(), null);
  }

  /** @param userAgent null for fabric8's own */
  private static KubernetesClient newClient(String url, String userAgent) {
    final ConfigBuilder builder = new ConfigBuilder(Config.empty());
    if (userAgent != null) {
      builder.withUserAgent(userAgent);
    }
    final Config config = builder
        .withMasterUrl(url)
        .withOauthToken(Authentication.TOKEN)
        .withNamespace("default")
        .withHttp2Disable(true)
        .withRequestTimeout(10_000)
        .withConnectionTimeout(5_000)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Writes a kubeconfig with the contexts "minikube" (current, namespace "default") and "prod-eu", both pointing
   * at this server.
   */
  public Path writeKubeconfig(Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.write(file, kubeconfig(url()).getBytes(StandardCharsets.UTF_8));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String kubeconfig(String url) {
    final StringBuilder y = new StringBuilder();
    y.append("apiVersion: v1\nkind: Config\npreferences: {}\ncurrent-context: minikube\nclusters:\n");
    for (String name : new String[] { "minikube", "prod-eu" }) {
      y.append("- name: ").append(name).append("\n  cluster:\n    server: ").append(url).append('\n');
    }
    y.append("contexts:\n");
    for (String name : new String[] { "minikube", "prod-eu" }) {
      y.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name)
          .append("\n    user: ").append(name).append("\n    namespace: default\n");
    }
    y.append("users:\n");
    for (String name : new String[] { "minikube", "prod-eu" }) {
      y.append("- name: ").append(name).append("\n  user:\n    token: ").append(Authentication.TOKENS.get(name))
          .append('\n');
    }
    return y.toString();
  }

  public KubeletSimulator kubelet() {
    return kubelet;
  }

  /** The docker host of docker-backed pods, if the rig has one. */
  public Optional<String> dockerHost() {
    return docker.dockerHost();
  }

  /**
   * The value of the label {@code dev.llmstack.rig.instance} on every container this rig starts (containers also
   * carry {@code dev.llmstack.rig.pod=<ns>/<pod>} and {@code dev.llmstack.rig.container=<name>}).
   */
  public String dockerInstance() {
    return docker.instance();
  }

  /**
   * Closes every open watch WebSocket: sends a 410 Expired ERROR event, then closes with 1000. Informers must
   * reconnect (and, the mock ignoring resourceVersion, get every object replayed as ADDED).
   *
   * @return how many watches were cut
   */
  public int cutWatches() {
    return dispatcher.cutWatches();
  }

  /** How many watch WebSockets are open now. */
  public int openWatches() {
    return dispatcher.openWatches();
  }

  /** The path each open watch watches ({@code /api/v1/namespaces/ns/configmaps}; across namespaces {@code /api/v1/pods}). */
  List<String> openWatchPaths() {
    return dispatcher.openWatchPaths();
  }

  /**
   * The API server is lost for that long, as when it restarts or the network to it fails: {@link #url()}'s port
   * refuses new connections and every open one (watches, port-forwards included) is reset; then it answers again on
   * the same port, with the same objects. The simulated controllers and kubelet keep running (they reach the
   * server directly), so objects may change meanwhile, as a cluster goes on while a client is cut off.
   */
  public void outage(Duration duration) {
    frontDoor.outage(duration);
  }

  /** Ends an outage now (for tests whose checks during it must not race its duration). */
  void endOutage() {
    frontDoor.endOutage();
  }

  /** {@link #outage} once the answer to the request asking for it (POST /rig/outage) has gone out. */
  void outageAfterAnswer(Duration duration) {
    frontDoor.outageAfterAnswer(duration);
  }

  /** The API server is gone for good: {@link #url()} refuses connections from now on; open ones are reset. */
  public void stopServing() {
    frontDoor.stopServing();
  }

  /**
   * Plays the pod's port: port-forwards to (namespace, pod, port) are bridged to a TCP connection to
   * {@code backend} (e.g. a server the test runs) instead of the default built-in HTTP server. Registrations stay
   * until {@link #unregisterBackends}, also across pod deletion (a StatefulSet pod comes back under its name); a
   * replacement pod with a new name needs its own registration.
   */
  public void registerBackend(String namespace, String pod, int port, InetSocketAddress backend) {
    dispatcher.portForwarding().register(namespace, pod, port, backend);
  }

  /** Drops the registered backends of a pod (every port); its port-forwards go to the default HTTP server again. */
  public void unregisterBackends(String namespace, String pod) {
    dispatcher.portForwarding().unregister(namespace, pod);
  }

  /** How many port-forward WebSockets are open now. */
  public int openPortForwards() {
    return dispatcher.portForwarding().openForwards();
  }

  /** How many default (built-in HTTP) pod backends run now. */
  int defaultPodBackends() {
    return dispatcher.portForwarding().defaultBackends();
  }

  /**
   * Stops the simulator, the port-forwards, the default pod backends and the server, and removes every container the
   * rig started for docker-backed pods.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      kubelet.close();
    } finally {
      try {
        client.close();
      } finally {
        try {
          dispatcher.portForwarding().close();
        } finally {
          try {
            docker.close();
          } finally {
            try {
              frontDoor.close();
              dispatcher.close();
            } finally {
              server.destroy();
            }
          }
        }
      }
    }
  }
}
