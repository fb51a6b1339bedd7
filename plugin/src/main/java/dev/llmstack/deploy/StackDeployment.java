package dev.llmstack.deploy;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.error.Causes;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.kube.KubeContext;
import dev.llmstack.log.BuildLog;
import dev.llmstack.process.ProcessRunner;
import dev.llmstack.render.KustomizeRenderer;
import dev.llmstack.render.ManifestParser;
import dev.llmstack.render.StackDecorator;
import dev.llmstack.rollout.RolloutTracker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Deploy, Maven-free: check the context, render the overlay with kustomize and check every
 * document ({@link #checkInputs}, before any image is built), then point built images at their
 * digest tags, apply and wait ({@link #run}).
 *
 * <p>{@link #start} begins kustomize and the {@link NoChangeCheck}'s reads of what the last deploy
 * recorded in the background, so that they overlap the image build. When the rendered overlay, the
 * images and every member are as that deploy left them (ready), there is nothing to apply or wait
 * for, and deploy returns after those reads. {@code forceApply} skips the check.
 */
public final class StackDeployment {

  /**
   * @param namespace namespace for objects without one; null for the context's
   * @param forceApply apply every object even when the no-change check finds nothing changed
   *     (reverts changes to labels and annotations, which the check does not see)
   * @param adopt existing objects to take over although they are not the stack's
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
      adopt.forEach(dev.llmstack.apply.Ownership::checkAdoptEntry);
    }
  }

  /** How long {@link #checkInputs} waits for the last deploy's record once kustomize is done. */
  private static final Duration READ_WAIT = Duration.ofSeconds(2);

  private final Request request;
  private final BuildLog log;
  private final long start = System.nanoTime();
  private final KubeContext context;
  private final Supplier<ClusterConnector.Connection> connection;
  private final CompletableFuture<String> rendered;
  private final CompletableFuture<Optional<NoChangeCheck.Observed>> observed;
  private final NoChangeCheck check;
  private List<HasMetadata> parsed;

  private StackDeployment(Request request, Supplier<ClusterConnector.Connection> connection, Executor background, BuildLog log) {
    this.request = request;
    this.log = log;
    this.connection = connection;
    this.check = new NoChangeCheck(request, log);
    // the context guard first: a production context must not even be read
    this.context = KubeContext.select(request.cluster());
    this.rendered = CompletableFuture.supplyAsync(() ->
        new KustomizeRenderer(request.kustomizeExecutable(), new ProcessRunner(Duration.ofMinutes(2))).render(request.overlay()), background);
    this.observed = request.forceApply()
        ? CompletableFuture.completedFuture(Optional.empty())
        : CompletableFuture.supplyAsync(this::read, background);
  }

  /**
   * Checks the context (refused: a ConfigurationException at once) and starts rendering and reading
   * the last deploy's record on the executor; the caller builds meanwhile.
   *
   * @param connection the cluster connection, opened by its owner on first use and closed by it
   */
  public static StackDeployment start(Request request, Supplier<ClusterConnector.Connection> connection, Executor background, BuildLog log) {
    return new StackDeployment(request, connection, background, log);
  }

  /**
   * Waits for kustomize and parses its output: a broken overlay fails here, before any image is
   * built. Not parsed again when it rendered to the very bytes the last deploy applied (that deploy
   * parsed them with this plugin): most of a deploy that finds nothing to do is spent loading the
   * parser.
   *
   * @return the objects as rendered (not yet pointed at built images); none when not parsed
   */
  public List<HasMetadata> checkInputs() {
    String yaml = await(rendered);
    if (parsed == null && !asLastDeployed(yaml)) {
      parse(yaml);
    }
    return parsed == null ? List.of() : List.copyOf(parsed);
  }

  private void parse(String yaml) {
    parsed = ManifestParser.parse(yaml, request.overlay().toString());
    log.debug("Rendered and parsed in " + millis(start) + " ms");
  }

  /** The record of the last deploy, if read by now, says it applied this rendering. */
  private boolean asLastDeployed(String yaml) {
    try {
      // the read is usually done before kustomize; a slow API server must not hold the build up
      Optional<NoChangeCheck.Observed> seen = observed.get(READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return seen.isPresent() && check.sameOverlay(seen.get(), yaml);
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false; // never: read() does not fail
    }
  }

  /**
   * @param builtImages repository of each built image to its digest-tag reference
   * @param builtSinceStart whether images were built since {@link #start}: a build that takes a
   *     while may outlast what the early reads saw, so they are made again
   */
  public StackApplier.Result run(Map<String, String> builtImages, boolean builtSinceStart) {
    String yaml = await(rendered);
    if (request.forceApply()) {
      log.info("Applying every object (forceApply).");
    } else {
      Optional<NoChangeCheck.Observed> seen = builtSinceStart ? read() : observed.join();
      if (seen.isPresent() && check.sameInputs(seen.get(), yaml, builtImages)) {
        return unchanged(seen.get());
      }
    }
    if (parsed == null) {
      parse(yaml);
    }
    List<HasMetadata> objects = new StackDecorator(request.stack(), builtImages, log).decorate(new ArrayList<>(parsed));
    log.info("Rendered " + objects.size() + " objects from " + request.overlay() + ".");
    ClusterConnector.Connection connected = connection.get();
    log.debug("Parsed and connected after " + millis(start) + " ms");
    KubernetesClient client = connected.client();
    String namespace = request.namespace() != null ? request.namespace() : connected.namespace();
    log.info("Applying stack '" + request.stack() + "' to context " + connected.context() + ", namespace " + namespace + ".");
    StackApplier applier = new StackApplier(client, request.stack(), namespace, request.tooling(), request.adopt(), log);
    StackApplier.Result result = applier.apply(objects);
    log.info(summary(result));
    log.debug("Applied after " + millis(start) + " ms");
    List<HasMetadata> applied = result.applied().stream().map(StackApplier.Applied::object).toList();
    List<HasMetadata> asReady = new RolloutTracker(client, request.timeout(), log).await(RolloutTracker.waitedFor(applied, log));
    DeployFingerprint.record(applier,
        DeployFingerprint.inputs(request.tooling(), request.stack(), namespace, yaml, builtImages),
        DeployFingerprint.overlay(request.tooling(), request.stack(), yaml),
        lastSeen(applied, asReady));
    log.debug("Deployed in " + millis(start) + " ms");
    return result;
  }

  /** The members as the wait last saw them (workloads, ready), the others as applied. */
  private static List<HasMetadata> lastSeen(List<HasMetadata> applied, List<HasMetadata> asReady) {
    Map<String, HasMetadata> ready = asReady.stream().collect(Collectors.toMap(StackDeployment::key, o -> o, (a, b) -> b));
    return applied.stream().map(o -> ready.getOrDefault(key(o), o)).toList();
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  /**
   * The last deploy's record: by plain requests where the context's credentials allow them (no
   * fabric8 client is started), else over the connection. Never fails: the full deploy reports.
   */
  private Optional<NoChangeCheck.Observed> read() {
    NoChangeCheck.PlainReading plain = check.readPlain(context);
    if (plain.possible()) {
      return plain.observed();
    }
    try {
      return check.read(connection.get());
    } catch (RuntimeException e) {
      log.debug("No-change check: cannot connect (" + Causes.rootMessage(e) + ")");
      return Optional.empty();
    }
  }

  /**
   * Waits for the background work (kustomize, the reads: run() may never have been called, when the
   * build failed), so that nothing of this deployment runs on after it.
   */
  public void awaitBackground() {
    rendered.handle((yaml, e) -> yaml).join();
    observed.join(); // never fails
  }

  private StackApplier.Result unchanged(NoChangeCheck.Observed last) {
    log.info("Rendered " + last.members().size() + " objects from " + request.overlay() + ".");
    log.info("Stack '" + request.stack() + "' in context " + last.context() + ", namespace " + last.namespace()
        + " is as the last deploy left it: same manifests and images, no object changed since; nothing sent"
        + " (-Dllmstack.forceApply=true applies anyway).");
    StackApplier.Result result = new StackApplier.Result(
        last.members().stream().map(o -> new StackApplier.Applied(o, StackApplier.Change.UNCHANGED)).toList(), List.of());
    log.info(summary(result));
    long workloads = last.workloads();
    log.info(workloads == 0 ? "No workloads to wait for." : "All " + workloads + " workloads ready.");
    log.debug("Deployed (nothing changed) in " + millis(start) + " ms");
    return result;
  }

  /** The result, or the task's own exception (kustomize's is a ConfigurationException). */
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
