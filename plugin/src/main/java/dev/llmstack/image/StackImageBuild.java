package dev.llmstack.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.llmstack.digest.FileHashCache;
import dev.llmstack.docker.DaemonClient;
import dev.llmstack.error.Causes;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.log.BuildLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds all images of a stack in parallel, skipping those whose inputs are unchanged, records the
 * result in {@code images.json} and logs a summary table.
 */
public final class StackImageBuild {

  private final BuildRequest request;
  private final BuildLog log;

  public StackImageBuild(BuildRequest request, BuildLog log) {
    this.request = request;
    this.log = log;
  }

  public List<BuiltImage> run() {
    ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());
    Future<DaemonClient> daemon = null;
    try {
      // Connecting to the daemon (mostly class loading), hashing the inputs and reading the record
      // run at once; an image whose inputs differ from the record starts building before the daemon
      // answers (it needs the daemon only to load the result).
      if (request.destination() instanceof ImageDestination.Daemon d) {
        daemon = threads.submit(() -> DaemonConnection.open(d, log));
      }
      FileHashCache hashes = FileHashCache.load(request.hashCacheFile(), threads);
      List<Future<InputDigest.Inputs>> digests = new ArrayList<>();
      for (ImageSpec spec : request.images()) {
        digests.add(threads.submit(() -> InputDigest.inputs(spec, request.toolVersion(), hashes)));
      }
      Future<BuildRecord> previous = threads.submit(() -> BuildRecord.read(request.recordFile()));
      JibSettings jib = new JibSettings(request, threads, log);
      ImageOutput output;
      if (daemon != null) {
        Future<DaemonClient> connecting = daemon;
        output = new DaemonOutput(() -> done(connecting), jib, request.tag(), log);
      } else if (request.destination() instanceof ImageDestination.Tar t) {
        output = new TarOutput(t, done(previous), jib, request.tag());
      } else {
        output = new RegistryOutput((ImageDestination.Registry) request.destination(), done(previous), jib, request.tag());
      }
      log.info("Building " + request.images().size() + " image(s) into " + request.destination().describe());
      List<Future<BuiltImage>> building = start(output, jib, threads, digests, done(previous));
      if (daemon != null) {
        done(daemon); // an unreachable daemon fails the build once, not once per image
      }
      List<BuiltImage> built;
      try {
        built = collect(building);
      } finally {
        saveOnceDigested(digests, hashes); // what was read stays known, even if a build failed
      }
      new BuildRecord(built).write(request.recordFile());
      BuildSummary.lines(built).forEach(log::info);
      return built;
    } finally {
      threads.shutdownNow();
      if (daemon != null) {
        closeOnceConnected(daemon);
      }
    }
  }

  private List<Future<BuiltImage>> start(
      ImageOutput output, JibSettings jib, ExecutorService threads, List<Future<InputDigest.Inputs>> digests,
      BuildRecord previous) {
    long start = System.nanoTime();
    List<Future<BuiltImage>> building = new ArrayList<>();
    for (int i = 0; i < request.images().size(); i++) {
      ImageSpec spec = request.images().get(i);
      Future<InputDigest.Inputs> digest = digests.get(i);
      building.add(threads.submit(() -> buildOne(spec, done(digest), previous, output, jib, start)));
    }
    return building;
  }

  private List<BuiltImage> collect(List<Future<BuiltImage>> building) {
    List<BuiltImage> built = new ArrayList<>();
    ImageFailures failures = new ImageFailures();
    for (int i = 0; i < building.size(); i++) {
      ImageSpec spec = request.images().get(i);
      try {
        built.add(building.get(i).get());
      } catch (ExecutionException e) {
        failures.add(spec.name(), JibFailures.explain(spec, e.getCause(), request));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while building images", e);
      }
    }
    if (!failures.isEmpty()) {
      List<LlmstackException> causes = failures.byCause();
      causes.stream().skip(1).forEach(f -> log.warn(f.getMessage()));
      throw causes.get(0);
    }
    return built;
  }

  private void saveOnceDigested(List<Future<InputDigest.Inputs>> digests, FileHashCache hashes) {
    for (Future<InputDigest.Inputs> digest : digests) {
      if (!digest.isDone() || digest.isCancelled()) {
        return;
      }
      try {
        digest.get();
      } catch (ExecutionException | InterruptedException e) {
        return; // a layer that could not be listed: nothing new to remember
      }
    }
    hashes.save();
    log.debug("Input digests: " + hashes.filesRead() + " file(s) read, " + hashes.filesReused()
        + " unchanged since the last build (size, modification time, inode, mode) and not read");
  }

  private static void closeOnceConnected(Future<DaemonClient> daemon) {
    try {
      daemon.get().close();
    } catch (ExecutionException e) {
      // never connected: nothing to close
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T done(Future<T> work) {
    return Causes.resultOf(work, "building images");
  }

  private BuiltImage buildOne(
      ImageSpec spec, InputDigest.Inputs inputs, BuildRecord previous, ImageOutput output, JibSettings jib, long start)
      throws Exception {
    String inputDigest = inputs.digest();
    // Inputs other than the recorded ones: the destination cannot hold this image (unless another
    // checkout built the same inputs into it, which costs a rebuild). No record (mvn clean): ask it.
    boolean recordedOtherInputs = previous.find(spec.name()).filter(b -> !inputDigest.equals(b.inputDigest())).isPresent();
    Optional<BuiltImage> same = recordedOtherInputs ? Optional.empty() : output.unchanged(spec, inputDigest);
    if (same.isPresent()) {
      log.info("[" + spec.name() + "] unchanged, not rebuilt: " + same.get().reference());
      return same.get().unchanged(seconds(start));
    }
    log.info("[" + spec.name() + "] building from " + spec.from());
    JibContainerBuilder container = JibContainerFactory.containerFor(spec, inputs, jib.baseImage(spec));
    BuiltImage built = output.build(spec, inputDigest, container);
    double took = seconds(start);
    log.info(String.format(Locale.ROOT, "[%s] built %s in %.1f s", spec.name(), built.reference(), took));
    return new BuiltImage(
        built.name(), built.reference(), built.stableReference(), built.imageId(), built.inputDigest(),
        built.destination(), built.sizeBytes(), built.sentBytes(), took, true);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "llmstack-build-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
