package dev.llmstack.cluster;

import dev.llmstack.rollout.RolloutTracker;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.llmstack.error.Causes;
import dev.llmstack.log.BuildLog;
import dev.llmstack.process.ProcessRunner;
import dev.llmstack.render.KustomizeRenderer;
import dev.llmstack.render.ManifestParser;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Deploy, Maven-free: render the overlay with kustomize, check every document, point built images
 * at their digest tags, then (only if all that passed) check the context, apply and wait.
 *
 * <p>{@link #start} begins kustomize and a {@link NoChangeCheck}'s reads of what the last deploy
 * recorded in the background, so that they overlap the image build; {@link #run} takes the built
 * images. The reads are plain requests where the context allows them; fabric8's client is started
 * only when they do not, or when there is something to apply. When the rendered overlay, the images and every applied object are as
 * that deploy left them and every workload is ready, there is nothing to apply or wait for, and
 * deploy returns after those reads. {@code forceApply} skips the check and applies everything.
 */
public final class StackDeployment implements AutoCloseable {

  /**
   * @param namespace namespace for objects without one; null for the context's
   * @param forceApply apply every object even when the no-change check finds nothing changed
   *     (reverts changes to labels and annotations, which the check does not see)
   * @param adopt existing objects to take over although they are not the stack's ({@link Ownership})
   */
  public record Request(
      Path overlay,
      String kustomizeExecutable,
      String stack,
      String namespace,
      ClusterConnector.Options cluster,
      Duration timeout,
      String tooling,
      boolean forceApply,
      List<String> adopt) {

    public Request {
      adopt = List.copyOf(adopt);
      adopt.forEach(Ownership::checkAdoptEntry);
    }
  }

  private final Request request;
  private final BuildLog log;
  private final long start = System.nanoTime();
  // own threads: the common pool has one thread on two cores, and its threads lack the plugin's class loader
  private final ExecutorService background = Executors.newFixedThreadPool(2,
      new ThreadFactoryBuilder().setNameFormat("llmstack-deploy-%d").setDaemon(true).build());
  private final CompletableFuture<String> rendered;
  private final Supplier<ClusterConnector.Connection> connect;
  private CompletableFuture<ClusterConnector.Connection> connection; // guarded by this; started when first needed
  private final CompletableFuture<Optional<NoChangeCheck.Observed>> observed;
  private final NoChangeCheck check;
  private final boolean ownsConnection;

  private StackDeployment(Request request, BuildLog log, Supplier<ClusterConnector.Connection> connect, boolean ownsConnection) {
    this.request = request;
    this.log = log;
    this.check = new NoChangeCheck(request, log);
    this.rendered = CompletableFuture.supplyAsync(() ->
        new KustomizeRenderer(request.kustomizeExecutable(), new ProcessRunner(Duration.ofMinutes(2))).render(request.overlay()),
        background);
    this.ownsConnection = ownsConnection;
    this.connect = connect;
    if (request.forceApply()) {
      connection();
      this.observed = CompletableFuture.completedFuture(Optional.empty());
    } else {
      this.observed = read();
    }
  }

  /** Starts rendering and reading the last deploy's record (connecting when needed); the caller builds meanwhile. */
  public static StackDeployment start(Request request, BuildLog log) {
    return new StackDeployment(request, log, () -> ClusterConnector.connect(request.cluster(), log), true);
  }

  /**
   * The same over a connection the caller holds and closes (the dev loop's, for all its deploys):
   * opening one is the fabric8 client's start, most of a no-change deploy.
   */
  public static StackDeployment start(Request request, Supplier<ClusterConnector.Connection> connection, BuildLog log) {
    return new StackDeployment(request, log, connection, false);
  }

  /**
   * @param builtImages repository of each built image to its digest-tag reference
   * @param builtSinceStart whether images were built since {@link #start}: a build that takes a
   *     while may outlast what the early reads saw, so they are made again
   */
  public StackApplier.Result run(Map<String, String> builtImages, boolean builtSinceStart) {
    if (request.forceApply()) {
      log.info("Applying every object (forceApply).");
    } else {
      Optional<NoChangeCheck.Observed> seen = builtSinceStart ? readAgain() : observed.join();
      // a rendering failure is thrown by await() here as in the full path
      if (seen.isPresent() && check.sameInputs(seen.get(), await(rendered), builtImages)) {
        return unchanged(seen.get());
      }
    }
    String yaml = await(rendered);
    log.debug("Rendered in " + millis(start) + " ms");
    List<HasMetadata> objects = ManifestParser.parse(yaml, request.overlay().toString());
    new StackDecorator(request.stack(), builtImages, log).decorate(objects);
    log.info("Rendered " + objects.size() + " objects from " + request.overlay() + ".");
    ClusterConnector.Connection connected = await(connection());
    log.debug("Parsed and connected after " + millis(start) + " ms");
    KubernetesClient client = connected.client();
    String namespace = request.namespace() != null ? request.namespace() : connected.namespace();
    log.info("Applying stack '" + request.stack() + "' to context " + connected.context() + ", namespace " + namespace + ".");
    String inputs = DeployFingerprint.inputs(request.tooling(), request.stack(), namespace, yaml, builtImages);
    StackApplier.Result result = new StackApplier(client, request.stack(), namespace, request.tooling(), request.adopt(), log).apply(objects, inputs);
    log.info(summary(result));
    log.debug("Applied after " + millis(start) + " ms");
    new RolloutTracker(client, request.timeout(), log).await(RolloutTracker.waitedFor(
        result.applied().stream().map(StackApplier.Applied::object).toList(), log));
    log.debug("Deployed in " + millis(start) + " ms");
    return result;
  }

  private Optional<NoChangeCheck.Observed> readAgain() {
    awaitEarlyReads(); // done with the connection first
    return read().join();
  }

  /**
   * Over the caller's connection when there is one; else plain requests first: when they find
   * nothing changed, fabric8's client is never started; when they do not, it starts at once, still
   * during the build.
   */
  private CompletableFuture<Optional<NoChangeCheck.Observed>> read() {
    return ownsConnection ? readPlain() : readOverConnection();
  }

  private CompletableFuture<Optional<NoChangeCheck.Observed>> readPlain() {
    return CompletableFuture.supplyAsync(check::readPlain, background).thenCompose(plain -> {
      if (!plain.possible()) {
        return readOverConnection();
      }
      if (plain.observed().isEmpty()) {
        connection(); // the full deploy will need it: connect while the build goes on
      }
      return CompletableFuture.completedFuture(plain.observed());
    });
  }

  // a connection that fails is reported by run(), after the overlay's own errors
  private CompletableFuture<Optional<NoChangeCheck.Observed>> readOverConnection() {
    return connection().handle((c, e) -> c == null ? Optional.empty() : check.read(c));
  }

  /** Connecting, started on the first call. */
  private synchronized CompletableFuture<ClusterConnector.Connection> connection() {
    if (connection == null) {
      connection = CompletableFuture.supplyAsync(connect, background);
    }
    return connection;
  }

  private synchronized CompletableFuture<ClusterConnector.Connection> connectionIfStarted() {
    return connection;
  }

  /** The reads started with the deployment are done (for tests that change the cluster after them). */
  void awaitEarlyReads() {
    observed.join();
  }

  /**
   * Waits for the background work (kustomize, connecting, the reads: run() may never have been
   * called, when the build failed), then closes the connection (unless the caller's) and ends the
   * threads.
   */
  @Override
  public void close() {
    rendered.handle((yaml, e) -> yaml).join();
    awaitEarlyReads(); // never fails; the reads use the connection
    try {
      CompletableFuture<ClusterConnector.Connection> started = connectionIfStarted();
      if (started != null && ownsConnection) {
        ClusterConnector.Connection connected = started.join();
        connected.client().close();
      }
    } catch (CompletionException e) {
      // not connected: nothing to close (run() reported why)
    } finally {
      MoreExecutors.shutdownAndAwaitTermination(background, Duration.ofSeconds(5));
    }
  }

  private StackApplier.Result unchanged(NoChangeCheck.Observed last) {
    log.info("Rendered " + last.members().size() + " objects from " + request.overlay() + ".");
    log.info("Stack '" + request.stack() + "' in context " + last.context() + ", namespace " + last.namespace()
        + " is as the last deploy left it: same manifests and images, no object changed since; nothing sent"
        + " (-Dllmstack.forceApply=true applies anyway).");
    StackApplier.Result result = new StackApplier.Result(
        last.members().stream().map(o -> new StackApplier.Applied(o, StackApplier.Change.UNCHANGED)).toList(), List.of());
    log.info(summary(result));
    log.info(last.workloads() == 0 ? "No workloads to wait for." : "All " + last.workloads() + " workloads ready.");
    log.debug("Deployed (nothing changed) in " + millis(start) + " ms");
    return result;
  }

  /** The result, or the task's own exception (kustomize's and the connector's are ConfigurationExceptions). */
  private static <T> T await(CompletableFuture<T> task) {
    return Causes.resultOf(task, "deploying");
  }

  private static long millis(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  static String summary(StackApplier.Result result) {
    Map<StackApplier.Change, Long> counts =
        result.applied().stream().collect(Collectors.groupingBy(StackApplier.Applied::change, Collectors.counting()));
    return "Applied " + result.applied().size() + " objects: "
        + counts.getOrDefault(StackApplier.Change.CREATED, 0L) + " created, "
        + counts.getOrDefault(StackApplier.Change.CONFIGURED, 0L) + " configured, "
        + counts.getOrDefault(StackApplier.Change.UNCHANGED, 0L) + " unchanged"
        + (result.pruned().isEmpty() ? "." : "; pruned " + String.join(", ", result.pruned()) + ".");
  }
}
