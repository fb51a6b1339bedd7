package dev.llmstack.forward;

import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One local port forwarding to one Service port. Each accepted connection is sent to a pod that is
 * ready at that moment (its targetPort resolved on that pod) over the API server's port-forward.
 */
final class PortForwarder implements AutoCloseable {

  static final Duration POD_PATIENCE = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Service service;
  private final ServicePort port;
  private final String logical;
  private final ServerSocketChannel server;
  private final ReadyPods pods;
  private final ExecutorService threads;
  private final BuildLog log;
  private final Set<PortForward> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  PortForwarder(KubernetesClient client, Service service, ServicePort port, String logical, ServerSocketChannel server,
      ReadyPods pods, ExecutorService threads, BuildLog log) {
    this.client = client;
    this.service = service;
    this.port = port;
    this.logical = logical;
    this.server = server;
    this.pods = pods;
    this.threads = threads;
    this.log = log;
  }

  void start() {
    threads.submit(this::acceptLoop);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel connection = server.accept();
        threads.submit(() -> forward(connection));
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          log.warn("[" + logical + "] accepting a connection failed: " + e.getMessage());
        }
      }
    }
  }

  private void forward(SocketChannel connection) {
    Map<String, String> selector = service.getSpec().getSelector();
    Optional<Pod> pod = pods.pick(selector, POD_PATIENCE);
    if (pod.isEmpty()) {
      log.warn("[" + logical + "] no ready pod behind Service " + service.getMetadata().getName() + " after "
          + POD_PATIENCE.toSeconds() + " s; closed the connection.");
      closeQuietly(connection);
      return;
    }
    Optional<Integer> target = TargetPorts.resolve(port, pod.get());
    if (target.isEmpty()) {
      log.warn("[" + logical + "] pod " + pod.get().getMetadata().getName() + " has no container port named '"
          + port.getTargetPort().getStrVal() + "' (targetPort of Service " + service.getMetadata().getName() + "); closed the connection.");
      closeQuietly(connection);
      return;
    }
    log.debug("[" + logical + "] connection to pod " + pod.get().getMetadata().getName() + ":" + target.get());
    PortForward forward = client.pods().inNamespace(pod.get().getMetadata().getNamespace())
        .withName(pod.get().getMetadata().getName())
        .portForward(target.get(), connection, connection);
    open.add(forward);
    if (closed) {
      closeQuietly(forward);
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(PortForwarder::closeQuietly);
    open.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing on the way out
    }
  }
}
