package dev.llmstack.cluster;

import dev.llmstack.log.BuildLog;
import dev.llmstack.process.ProcessRunner;
import dev.llmstack.render.KustomizeRenderer;
import dev.llmstack.render.ManifestParser;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Deploy, Maven-free: render the overlay with kustomize, check every document, point built images
 * at their digest tags, then (only if all that passed) check the context, apply and wait.
 */
public final class StackDeployment {

  /**
   * @param namespace namespace for objects without one; null for the context's
   * @param builtImages repository of each built image to its digest-tag reference
   */
  public record Request(
      Path overlay,
      String kustomizeExecutable,
      String stack,
      String namespace,
      ClusterConnector.Options cluster,
      Duration timeout,
      Map<String, String> builtImages,
      String tooling) {}

  private final Request request;
  private final BuildLog log;

  public StackDeployment(Request request, BuildLog log) {
    this.request = request;
    this.log = log;
  }

  public StackApplier.Result run() {
    String yaml = new KustomizeRenderer(request.kustomizeExecutable(), new ProcessRunner(Duration.ofMinutes(2))).render(request.overlay());
    List<HasMetadata> objects = ManifestParser.parse(yaml, request.overlay().toString());
    new StackDecorator(request.stack(), request.builtImages(), log).decorate(objects);
    log.info("Rendered " + objects.size() + " objects from " + request.overlay() + ".");
    ClusterConnector.Connection connection = ClusterConnector.connect(request.cluster(), log);
    try (var client = connection.client()) {
      String namespace = request.namespace() != null ? request.namespace() : connection.namespace();
      log.info("Applying stack '" + request.stack() + "' to context " + connection.context() + ", namespace " + namespace + ".");
      StackApplier.Result result =
          new StackApplier(client, request.stack(), namespace, request.tooling(), log).apply(objects);
      log.info(summary(result));
      new RolloutTracker(client, request.timeout(), log).await(RolloutTracker.workloads(
          result.applied().stream().map(StackApplier.Applied::object).toList()));
      return result;
    }
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
