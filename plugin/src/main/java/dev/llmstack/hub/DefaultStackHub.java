package dev.llmstack.hub;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.llmstack.apply.StackApplier;
import dev.llmstack.apply.StackRemover;
import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.CheckConfig;
import dev.llmstack.config.DeployConfig;
import dev.llmstack.config.DevConfig;
import dev.llmstack.config.ForwardConfig;
import dev.llmstack.config.StackTarget;
import dev.llmstack.config.UndeployConfig;
import dev.llmstack.deploy.StackDeployment;
import dev.llmstack.forward.Endpoint;
import dev.llmstack.forward.EndpointTable;
import dev.llmstack.forward.ForwardSession;
import dev.llmstack.image.BuildRecord;
import dev.llmstack.image.BuildRequest;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.image.ImageSpecs;
import dev.llmstack.image.StackImageBuild;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.log.BuildLog;
import dev.llmstack.minikube.CapacityCheck;
import dev.llmstack.minikube.DestinationResolver;
import dev.llmstack.minikube.Preflight;
import dev.llmstack.process.ProcessRunner;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The hub of one build: the services of every goal over one set of resources, each opened on first
 * use. It owns the cluster connections (one per kubeconfig context), the port-forward sessions, the
 * deploy's background threads and, once something runs until Ctrl-C or outlives its goal, a JVM
 * shutdown hook of its own. {@link #close} ends them in that order: forwards, connections, threads.
 */
public final class DefaultStackHub implements StackHub {

  /** How long deploy asks minikube for its profile's size (a warning only: it never fails the deploy). */
  private static final Duration ROOM_WAIT = Duration.ofSeconds(20);

  private final BuildLog log;
  private final Map<String, String> environment;
  private final ExecutorService background = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setNameFormat("llmstack-deploy-%d").setDaemon(true).build());
  // guarded by this
  private final Map<ClusterConnector.Options, ClusterConnector.Connection> connections = new HashMap<>();
  private final Map<StackTarget, ForwardSession> forwards = new LinkedHashMap<>();
  private final List<Runnable> onStop = new ArrayList<>();
  private Thread shutdownHook;
  private boolean closed;

  /** @param environment the process environment (DOCKER_HOST, KUBECONFIG, minikube's variables) */
  public DefaultStackHub(BuildLog log, Map<String, String> environment) {
    this.log = log;
    this.environment = Map.copyOf(environment);
  }

  @Override
  public void check(CheckConfig config) {
    new Preflight(environment, log).run(config.request(), () -> connection(config.target().cluster()), background);
    if (config.request().buildsImages()) {
      ImageSpecs.missingSources(config.images())
          .forEach(missing -> log.info(missing + " does not exist yet: build needs it (made by an earlier step, such as npm run build?)."));
    }
  }

  @Override
  public List<BuiltImage> build(BuildConfig config) {
    ImageSpecs.requireSources(config.images());
    BuildRequest request = new BuildRequest(
        config.images(),
        new DestinationResolver(environment, log).resolve(config.destination()),
        config.tag(),
        config.outputDirectory(),
        config.cacheDirectory(),
        config.registries(),
        config.offline(),
        config.toolVersion());
    return new StackImageBuild(request, log).run();
  }

  @Override
  public StackApplier.Result deploy(DeployConfig config) {
    StackDeployment deployment = StackDeployment.start(config.request(), () -> connection(config.request().cluster()), background, log);
    try {
      // a broken overlay fails before any image is built; none: as the last deploy applied it
      List<HasMetadata> objects = deployment.checkInputs();
      if (config.build() == null) {
        return deployment.run(Map.of(), false);
      }
      // asked of minikube while the images are built: is its profile big enough for what the overlay requests?
      CompletableFuture<Optional<String>> room = objects.isEmpty()
          ? CompletableFuture.completedFuture(Optional.empty())
          : CompletableFuture.supplyAsync(
              () -> CapacityCheck.forDeploy(config.build().destination(), objects, new ProcessRunner(ROOM_WAIT)), background);
      if (config.skipBuild()) {
        log.info("Not building images because llmstack.build.skip is true; using " + BuildRecord.FILE_NAME + ".");
        return deployment.run(references(BuildRecord.read(config.build().recordFile()).images()), false);
      }
      List<BuiltImage> built = build(config.build());
      room.handle((warning, e) -> warning == null ? Optional.<String>empty() : warning).join().ifPresent(log::warn);
      return deployment.run(references(built), built.stream().anyMatch(BuiltImage::changed));
    } finally {
      deployment.awaitBackground();
    }
  }

  /** Deploys images built already (the dev loop's), over the hub's connection. */
  StackApplier.Result deployBuilt(DeployConfig config, Collection<BuiltImage> images) {
    StackDeployment deployment = StackDeployment.start(config.request(), () -> connection(config.request().cluster()), background, log);
    try {
      return deployment.run(references(images), false); // built before start(): its reads are fresh
    } finally {
      deployment.awaitBackground();
    }
  }

  @Override
  public List<Endpoint> forward(ForwardConfig config) {
    ClusterConnector.Connection c = connection(config.target().cluster());
    String namespace = config.target().namespaceOn(c);
    ForwardSession session =
        ForwardSession.open(c.client(), namespace, config.target().stack(), config.services(), config.anyPort(), log);
    ForwardSession previous;
    synchronized (this) {
      previous = forwards.put(config.target(), session);
      ensureShutdownHook();
    }
    if (previous != null) {
      previous.close();
    }
    Map<String, String> properties = EndpointTable.properties(session.endpoints());
    EndpointTable.write(config.endpointsFile(), properties);
    EndpointTable.lines(session.endpoints()).forEach(log::info);
    return session.endpoints();
  }

  @Override
  public void forwardUntilStopped(ForwardConfig config) {
    CountDownLatch stopped = new CountDownLatch(1);
    forward(config);
    whenStopped(() -> {
      stopForwards(config.target());
      log.info("Stopped forwarding.");
      stopped.countDown();
    });
    log.info("Forwarding; press Ctrl-C to stop.");
    Uninterruptibles.awaitUninterruptibly(stopped);
  }

  @Override
  public void undeploy(UndeployConfig config) {
    if (stopForwards(config.target())) {
      log.info("Stopped the port forwards of stack '" + config.target().stack() + "'.");
    }
    ClusterConnector.Connection c = connection(config.target().cluster());
    new StackRemover(c.client(), config.target().stack(), config.target().namespaceOn(c), log)
        .remove(config.deleteVolumes(), config.timeout(), config.tooling());
  }

  @Override
  public void dev(DevConfig config) {
    new DevSession(this, config, log).run();
  }

  /** The connection to the context, opened on first use; the hub closes it. */
  synchronized ClusterConnector.Connection connection(ClusterConnector.Options cluster) {
    checkOpen();
    ClusterConnector.Connection c = connections.get(cluster);
    if (c == null) {
      c = ClusterConnector.connect(cluster, log);
      connections.put(cluster, c);
    }
    return c;
  }

  /** @return whether the stack had forwards running */
  boolean stopForwards(StackTarget target) {
    ForwardSession session;
    synchronized (this) {
      session = forwards.remove(target);
    }
    if (session != null) {
      session.close();
    }
    return session != null;
  }

  /** Runs the action when the JVM is asked to stop (Ctrl-C), before the hub closes. */
  synchronized void whenStopped(Runnable action) {
    onStop.add(action);
    ensureShutdownHook();
  }

  synchronized void forgetWhenStopped(Runnable action) {
    onStop.remove(action);
  }

  private void ensureShutdownHook() {
    if (shutdownHook == null) {
      shutdownHook = new Thread(this::stop, "llmstack-stop");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** The JVM stops: the registered actions (the dev loop's undeploy, forward's last line), then close. */
  private void stop() {
    List<Runnable> actions;
    synchronized (this) {
      actions = List.copyOf(onStop);
      onStop.clear();
    }
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.error(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    close();
  }

  @Override
  public void close() {
    List<ForwardSession> sessions;
    List<ClusterConnector.Connection> open;
    Thread hook;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      sessions = List.copyOf(forwards.values());
      forwards.clear();
      open = List.copyOf(connections.values());
      connections.clear();
      hook = shutdownHook;
    }
    sessions.forEach(ForwardSession::close);
    open.forEach(c -> c.client().close());
    background.shutdownNow();
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is stopping: the hook runs (or ran) anyway
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("The build's stack hub is closed.");
    }
  }

  /** Repository of each built image to its digest-tag reference, which replaces the manifests' tags. */
  static Map<String, String> references(Collection<BuiltImage> built) {
    Map<String, String> references = new HashMap<>();
    built.forEach(b -> references.put(StackDecorator.repositoryOf(b.stableReference()), b.reference()));
    return references;
  }
}
