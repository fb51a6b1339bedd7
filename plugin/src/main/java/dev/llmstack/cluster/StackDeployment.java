package dev.llmstack.cluster;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Deploy, Maven-free: render the overlay with kustomize, check every document, point built images
 * at their digest tags, then (only if all that passed) check the context, apply and wait.
 *
 * <p>While kustomize renders, a {@link NoChangeCheck} reads what the last deploy recorded; when the
 * rendered overlay, the images and every applied object are as that deploy left them and every
 * workload is ready, there is nothing to apply or wait for, and deploy returns after those reads.
 * {@code forceApply} skips the check and applies everything, as every deploy did before.
 */
public final class StackDeployment {

  /**
   * @param namespace namespace for objects without one; null for the context's
   * @param builtImages repository of each built image to its digest-tag reference
   * @param forceApply apply every object even when the no-change check finds nothing changed
   *     (reverts changes to labels and annotations, which the check does not see)
   */
  public record Request(
      Path overlay,
      String kustomizeExecutable,
      String stack,
      String namespace,
      ClusterConnector.Options cluster,
      Duration timeout,
      Map<String, String> builtImages,
      String tooling,
      boolean forceApply) {}

  private final Request request;
  private final BuildLog log;

  public StackDeployment(Request request, BuildLog log) {
    this.request = request;
    this.log = log;
  }

  public StackApplier.Result run() {
    long start = System.nanoTime();
    // kustomize in the background, so that connecting and the no-change check's reads overlap it
    CompletableFuture<String> rendered = CompletableFuture.supplyAsync(() ->
        new KustomizeRenderer(request.kustomizeExecutable(), new ProcessRunner(Duration.ofMinutes(2))).render(request.overlay()));
    ClusterConnector.Connection connection = null;
    RuntimeException connectFailure = null;
    try {
      try {
        connection = ClusterConnector.connect(request.cluster(), log);
      } catch (RuntimeException e) {
        // a context that is not allowed, a cluster that is not reachable: reported after the overlay's own errors
        connectFailure = e;
      }
      if (request.forceApply()) {
        log.info("Applying every object (forceApply).");
      } else if (connection != null) {
        var same = new NoChangeCheck(request, log).check(connection, rendered);
        if (same.isPresent()) {
          return unchanged(same.get(), start);
        }
      }
      String yaml = await(rendered);
      log.debug("Rendered in " + millis(start) + " ms");
      List<HasMetadata> objects = ManifestParser.parse(yaml, request.overlay().toString());
      new StackDecorator(request.stack(), request.builtImages(), log).decorate(objects);
      log.info("Rendered " + objects.size() + " objects from " + request.overlay() + ".");
      if (connectFailure != null) {
        throw connectFailure;
      }
      log.debug("Parsed and connected after " + millis(start) + " ms");
      KubernetesClient client = connection.client();
      String namespace = request.namespace() != null ? request.namespace() : connection.namespace();
      log.info("Applying stack '" + request.stack() + "' to context " + connection.context() + ", namespace " + namespace + ".");
      String inputs = DeployFingerprint.inputs(request.tooling(), request.stack(), namespace, yaml, request.builtImages());
      StackApplier.Result result =
          new StackApplier(client, request.stack(), namespace, request.tooling(), log).apply(objects, inputs);
      log.info(summary(result));
      log.debug("Applied after " + millis(start) + " ms");
      new RolloutTracker(client, request.timeout(), log).await(RolloutTracker.workloads(
          result.applied().stream().map(StackApplier.Applied::object).toList()));
      log.debug("Deployed in " + millis(start) + " ms");
      return result;
    } finally {
      if (connection != null) {
        connection.client().close();
      }
    }
  }

  private StackApplier.Result unchanged(NoChangeCheck.Same same, long start) {
    log.info("Rendered " + same.members().size() + " objects from " + request.overlay() + ".");
    log.info("Stack '" + request.stack() + "' in context " + same.context() + ", namespace " + same.namespace()
        + " is as the last deploy left it: same manifests and images, no object changed since; nothing sent"
        + " (-Dllmstack.forceApply=true applies anyway).");
    StackApplier.Result result = new StackApplier.Result(
        same.members().stream().map(o -> new StackApplier.Applied(o, StackApplier.Change.UNCHANGED)).toList(), List.of());
    log.info(summary(result));
    log.info(same.workloads() == 0 ? "No workloads to wait for." : "All " + same.workloads() + " workloads ready.");
    log.debug("Deployed (nothing changed) in " + millis(start) + " ms");
    return result;
  }

  private static String await(CompletableFuture<String> rendered) {
    try {
      return rendered.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) { // kustomize's errors are ConfigurationExceptions
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while rendering the overlay", e);
    }
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
