package dev.llmstack.forward;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards the stack's Services to localhost until closed: local port = service port (or any free
 * port when allowed), every connection to a ready pod behind the Service. It uses the client it is
 * given and leaves it open.
 */
public final class ForwardSession implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  private final KubernetesClient client;
  private final ReadyPods pods;
  private final ExecutorService threads;
  private final List<PortForwarder> forwarders = new ArrayList<>();
  private final List<Endpoint> endpoints = new ArrayList<>();

  private ForwardSession(KubernetesClient client, String namespace) {
    this.client = client;
    this.pods = new ReadyPods(client, namespace);
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "llmstack-forward-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * @param only logical service names to forward; empty for all of the stack's Services
   * @param anyPort take a free local port when the service port is busy
   */
  public static ForwardSession open(KubernetesClient client, String namespace, String stack, List<String> only, boolean anyPort, BuildLog log) {
    List<Service> services = client.services().inNamespace(namespace).withLabel(StackDecorator.STACK, stack).list().getItems()
        .stream().sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList();
    List<String> known = services.stream().map(ForwardSession::logicalName).toList();
    for (String wanted : only) {
      if (!known.contains(wanted)) {
        throw new ConfigurationException(
            "Service '" + wanted + "' is not part of stack '" + stack + "' in namespace " + namespace + " (it has " + known + ").",
            "Fix <services> (-Dllmstack.forward.services), or deploy first (mvn llmstack:deploy).");
      }
    }
    if (services.isEmpty()) {
      throw new ConfigurationException(
          "Stack '" + stack + "' has no Services in namespace " + namespace + ".",
          "Deploy it first (mvn llmstack:deploy), or check <stack> and <namespace>.");
    }
    ForwardSession session = new ForwardSession(client, namespace);
    try {
      for (Service service : services) {
        String logical = logicalName(service);
        if (!only.isEmpty() && !only.contains(logical)) {
          continue;
        }
        for (ServicePort port : service.getSpec().getPorts()) {
          ServerSocketChannel server = bind(logical, port.getPort(), anyPort);
          int local = ((InetSocketAddress) server.getLocalAddress()).getPort();
          PortForwarder forwarder = new PortForwarder(client, service, port, logical, server, session.pods, session.threads, log);
          session.forwarders.add(forwarder);
          session.endpoints.add(new Endpoint(logical, service.getMetadata().getName(), port.getName(), HOST, local, port.getPort()));
          forwarder.start();
        }
      }
    } catch (IOException | RuntimeException e) {
      session.close();
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new ConfigurationException("Cannot listen on localhost: " + e.getMessage() + ".", "Free the port or set -Dllmstack.forward.anyPort=true.");
    }
    return session;
  }

  private static ServerSocketChannel bind(String logical, int port, boolean anyPort) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(HOST, port));
      return server;
    } catch (BindException busy) {
      if (anyPort) {
        server.bind(new InetSocketAddress(HOST, 0));
        return server;
      }
      server.close();
      throw new ConfigurationException(
          "Local port " + port + " (for " + logical + ") is already in use by another process.",
          "Stop that process (ss -ltnp 'sport = :" + port + "' names it), or set -Dllmstack.forward.anyPort=true to take a free port.");
    }
  }

  /** {@code app.kubernetes.io/name}, else {@code app}, else the Service's own name. */
  static String logicalName(Service service) {
    Map<String, String> labels = service.getMetadata().getLabels();
    if (labels != null && labels.get("app.kubernetes.io/name") != null) {
      return labels.get("app.kubernetes.io/name");
    }
    if (labels != null && labels.get("app") != null) {
      return labels.get("app");
    }
    return service.getMetadata().getName();
  }

  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  @Override
  public void close() {
    forwarders.forEach(PortForwarder::close);
    forwarders.clear();
    pods.close();
    threads.shutdownNow(); // the client is its owner's (the hub's)
  }
}
