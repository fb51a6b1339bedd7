package dev.llmstack.minikube;

import dev.llmstack.docker.DaemonClient;
import dev.llmstack.error.Causes;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.image.DaemonConnection;
import dev.llmstack.image.ImageDestination;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.log.BuildLog;
import dev.llmstack.process.ProcessRunner;
import dev.llmstack.render.KustomizeRenderer;
import dev.llmstack.render.ManifestParser;
import dev.llmstack.rollout.PodRequests;
import dev.llmstack.rollout.StackRequests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code llmstack:check}: what build and deploy would fail on, found in seconds, before anything is built (the seed's
 * {@code minikube-start.sh} did this by hand). Each step is theirs, not a copy: where images go
 * ({@link DestinationResolver}: minikube's docker-env, or the local daemon) and that daemon answering
 * ({@link DaemonConnection}); the kube context allowed and its API server answering ({@link ClusterConnector}); the
 * overlay rendered ({@link KustomizeRenderer}). Then whether the minikube profile has room for what the overlay
 * requests ({@link CapacityCheck}): a warning, as pods that do not fit only stay Pending. When the daemon or the
 * cluster fails and no minikube profile runs, the error says so and how to start one with room for the overlay.
 */
public final class Preflight {

  /**
   * @param images where build would send images (its minikube profile and executable also name the profile whose
   *     size is checked)
   * @param buildsImages whether build would run (images configured, build not skipped)
   */
  public record Request(
      DestinationResolver.Options images,
      boolean buildsImages,
      ClusterConnector.Options cluster,
      Path overlay,
      String kustomizeExecutable) {}

  /** How long a failed check waits for kustomize, to size the minikube it suggests (1-6 s measured on a loaded rig). */
  private static final Duration RENDER_WAIT = Duration.ofSeconds(20);

  private final Map<String, String> environment;
  private final BuildLog log;
  private final ProcessRunner runner = new ProcessRunner(Duration.ofMinutes(2));

  public Preflight(Map<String, String> environment, BuildLog log) {
    this.environment = environment;
    this.log = log;
  }

  /**
   * @param connect the hub's connection to the request's cluster (opened here, closed by its owner)
   * @param background the hub's threads, where kustomize runs while the daemon and the cluster are asked
   */
  public void run(Request request, Supplier<ClusterConnector.Connection> connect, Executor background) {
    CompletableFuture<List<HasMetadata>> rendered = CompletableFuture.supplyAsync(() -> ManifestParser.parse(
        new KustomizeRenderer(request.kustomizeExecutable(), runner).render(request.overlay()), request.overlay().toString()),
        background);
    Optional<MinikubeCli> minikube = MinikubeCli.find(request.images().minikubeExecutable(), request.images().minikubeProfile(), runner);
    try {
      if (request.buildsImages()) {
        checkImageDestination(request.images());
      }
      ClusterConnector.Connection connection = connect.get();
      log.info("Kube context " + connection.context() + " (" + connection.server() + ") answers.");
    } catch (LlmstackException e) {
      throw withMinikubeAdvice(e, minikube, rendered, request.images());
    }
    List<HasMetadata> objects = Causes.resultOf(rendered, "rendering the overlay");
    checkCapacity(minikube, objects);
  }

  private void checkImageDestination(DestinationResolver.Options options) {
    ImageDestination destination = new DestinationResolver(environment, log).resolve(options);
    if (destination instanceof ImageDestination.Daemon daemon) {
      try (DaemonClient client = DaemonConnection.open(daemon, log)) {
        log.info("Images go to " + daemon.describe() + ", which answers.");
      }
    } else {
      log.info("Images go to " + destination.describe() + ".");
    }
  }

  private void checkCapacity(Optional<MinikubeCli> minikube, List<HasMetadata> objects) {
    Optional<MinikubeCli.Size> size = minikube.flatMap(MinikubeCli::size);
    if (size.isEmpty()) {
      log.info("No minikube profile " + minikube.map(m -> "'" + m.profile() + "' ").orElse("") + "to size against the overlay.");
      return;
    }
    String profile = minikube.get().profile();
    StackRequests stack = StackRequests.of(objects, size.get().nodes());
    CapacityCheck.tooSmall(profile, size.get(), stack).ifPresentOrElse(log::warn, () -> log.info(
        "minikube profile '" + profile + "' has room for the overlay: it needs " + CapacityCheck.needs(stack).describe()
            + " (its " + stack.pods() + " pods' requests, Kubernetes' own, the node's system), and "
            + PodRequests.bytes(CapacityCheck.needsAtLimits(stack).memory()) + " with the pods at their memory limits."));
  }

  /**
   * The goals' own error, and when no minikube profile runs, that too and the command that starts one with room for
   * the overlay (sized from it when kustomize could render it).
   */
  private LlmstackException withMinikubeAdvice(
      LlmstackException e, Optional<MinikubeCli> minikube, CompletableFuture<List<HasMetadata>> rendered, DestinationResolver.Options images) {
    String profile = minikube.map(MinikubeCli::profile)
        .orElse(images.minikubeProfile() == null ? DestinationResolver.DEFAULT_PROFILE : images.minikubeProfile());
    String why;
    if (minikube.isEmpty()) {
      why = (images.minikubeExecutable() == null ? "No minikube CLI is on PATH" : "No minikube CLI at " + images.minikubeExecutable())
          + ": install minikube (https://minikube.sigs.k8s.io/docs/start/), then ";
    } else {
      MinikubeCli.Status status = minikube.get().status();
      if (status.running()) {
        return e; // minikube runs: the trouble is elsewhere, and the goals' own words say where
      }
      why = "minikube profile '" + profile + "' is not running (" + status.description() + "): ";
    }
    StackRequests stack;
    try {
      stack = StackRequests.of(rendered.get(RENDER_WAIT.toSeconds(), TimeUnit.SECONDS), 1);
    } catch (ExecutionException | TimeoutException unrendered) {
      stack = null; // the advice without sizes; the overlay's own error comes once the cluster is there
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      stack = null;
    }
    Optional<MinikubeCli.Size> size = minikube.flatMap(MinikubeCli::size);
    return new ConfigurationException(e.problem(), (e.fix() == null ? "" : e.fix() + " ") + why
        + CapacityCheck.howToStart(profile, size, stack) + (stack == null ? "" : " (room for this overlay)") + ".", e);
  }
}
