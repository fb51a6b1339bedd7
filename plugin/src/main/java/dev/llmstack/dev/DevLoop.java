package dev.llmstack.dev;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.log.BuildLog;
import dev.llmstack.rollout.WorkloadKind;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The watch phase of {@code llmstack:dev}: each batch of file changes re-runs the commands whose
 * sources changed, copies synced files into the running containers, rebuilds only the images with
 * other changes and re-applies the stack (only their digest tags moved, so only their workloads
 * roll). A failure is reported and the loop keeps watching; a failed rebuild is retried with the
 * next change.
 */
public final class DevLoop {

  /** What the loop does to the stack; the Maven goal wires it to build, deploy and the cluster. */
  public interface Stack {
    /** Builds exactly these images (by name). */
    List<BuiltImage> build(Collection<String> names);

    /** Applies the stack with these images and waits until every workload is ready. */
    StackApplier.Result deploy(Collection<BuiltImage> images);

    /** Copies the files into the running containers of that image, then runs {@code afterSync} in each (if not empty). */
    PodSync.Result sync(BuiltImage image, List<ChangePlan.SyncedFile> files, List<String> afterSync);
  }

  private final List<DevImage> images;
  private final Path basedir;
  private final Path manifests;
  private final Stack stack;
  private final Duration debounce;
  private final BuildLog log;
  private final CommandRunner commands = new CommandRunner(Duration.ofMinutes(10));
  private final Snapshot snapshot = new Snapshot();
  private final Map<String, BuiltImage> built = new LinkedHashMap<>();
  private final Set<String> pendingRebuilds = new LinkedHashSet<>();
  private boolean pendingDeploy;
  private final CountDownLatch finished = new CountDownLatch(1);
  private FileWatcher watcher;
  private volatile boolean stopped;
  private volatile Thread watching;

  /** @param manifests directory whose changes re-apply the stack; null for none */
  public DevLoop(List<DevImage> images, Path basedir, Path manifests, Stack stack, Duration debounce, BuildLog log) {
    this.images = List.copyOf(images);
    this.basedir = basedir;
    this.manifests = manifests;
    this.stack = stack;
    this.debounce = debounce;
    this.log = log;
  }

  /**
   * Starts watching (so nothing saved meanwhile is missed), runs every command, builds every image
   * and deploys. Fails like build and deploy do.
   */
  public void start() {
    watcher = new FileWatcher(roots());
    snapshot.take(watcher.roots());
    for (DevImage image : images) {
      if (image.command() != null) {
        runCommand(image);
      }
    }
    snapshot.take(watcher.roots());
    stack.build(images.stream().map(DevImage::name).toList()).forEach(b -> built.put(b.name(), b));
    stack.deploy(built.values());
  }

  /** Watches until {@link #stop()}; each batch of changes is handled in turn. */
  public void watch() {
    watching = Thread.currentThread();
    log.info("Watching " + watcher.roots().size() + " path(s) for changes; press Ctrl-C to stop.");
    try {
      while (!stopped) {
        Set<Path> events;
        try {
          events = watcher.awaitChanges(debounce);
        } catch (ClosedWatchServiceException | InterruptedException e) {
          break;
        }
        if (stopped) {
          break;
        }
        try {
          handle(events);
        } catch (RuntimeException e) {
          if (stopped) {
            break;
          }
          log.error(messageOf(e));
          log.info("Still watching: fix it and save again.");
        }
      }
    } finally {
      finished.countDown();
    }
  }

  /** Ends {@link #watch()} (from a shutdown hook) and waits a little for the current batch. */
  public void stop() {
    stopped = true;
    if (watcher != null) {
      watcher.close();
    }
    Thread thread = watching;
    if (thread != null) {
      thread.interrupt();
      try {
        finished.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The images as last built (name to image). */
  public Map<String, BuiltImage> images() {
    return Map.copyOf(built);
  }

  void handle(Set<Path> events) {
    long start = System.nanoTime();
    Set<FileChange> changes = new LinkedHashSet<>(snapshot.rescan(rootsTouchedBy(events)));
    List<String> done = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (DevImage image : images) {
      if (image.command() != null && changes.stream().anyMatch(c -> image.command().watch().stream().anyMatch(c.file()::startsWith))) {
        long commandStart = System.nanoTime();
        try {
          runCommand(image);
          done.add("ran '" + image.command().describe() + "' (" + seconds(commandStart) + ")");
        } catch (RuntimeException e) {
          failures.add(messageOf(e));
        }
        changes.addAll(snapshot.rescan(image.layers().stream().map(l -> l.source()).toList()));
      }
    }
    ChangePlan plan = ChangePlan.of(images, changes, manifests);
    Set<String> rebuilds = new LinkedHashSet<>(pendingRebuilds);
    rebuilds.addAll(plan.rebuilds());
    if (changes.isEmpty() && rebuilds.isEmpty() && !pendingDeploy) {
      return; // events without a content change (an editor's temp file, a rewrite of the same bytes)
    }
    log.info("Changed: " + describe(changes) + ".");
    plan.syncs().forEach((name, files) -> {
      if (!rebuilds.contains(name)) {
        sync(image(name), files, done, failures);
      }
    });
    if (!rebuilds.isEmpty() || plan.manifestsChanged() || pendingDeploy) {
      try {
        pendingDeploy = true;
        if (!rebuilds.isEmpty()) {
          rebuild(rebuilds, done);
        }
        long deployStart = System.nanoTime();
        StackApplier.Result result = stack.deploy(built.values());
        pendingDeploy = false;
        List<String> rolled = result.applied().stream()
            .filter(a -> a.change() != StackApplier.Change.UNCHANGED && WorkloadKind.runsPods(a.object()))
            .map(a -> a.object().getKind().toLowerCase(Locale.ROOT) + "/" + a.object().getMetadata().getName())
            .toList();
        done.add((rolled.isEmpty() ? "applied, nothing rolled" : "rolled " + String.join(", ", rolled))
            + "; ready (" + seconds(deployStart) + ")");
      } catch (RuntimeException e) {
        failures.add(messageOf(e));
      }
    }
    if (!done.isEmpty()) {
      log.info(capitalize(String.join("; ", done)) + ". Took " + seconds(start) + ".");
    }
    if (!failures.isEmpty()) {
      failures.forEach(log::error);
      log.info("Still watching: fix it and save again.");
    }
  }

  private void sync(DevImage image, List<ChangePlan.SyncedFile> files, List<String> done, List<String> failures) {
    long syncStart = System.nanoTime();
    String name = image.name();
    try {
      PodSync.Result result = stack.sync(built.get(name), files, image.afterSync());
      if (result.pods() == 0) {
        log.warn("No running pod runs image " + name + "; the change is in the image from its next rebuild.");
      } else {
        done.add("synced " + result.files() + " file(s) to " + result.pods() + " pod(s) of " + name
            + (image.afterSync().isEmpty() ? "" : " and ran '" + String.join(" ", image.afterSync()) + "' there")
            + " (" + seconds(syncStart) + ")");
      }
    } catch (RuntimeException e) {
      pendingRebuilds.add(name); // the containers missed the change: the next round rebuilds instead
      failures.add(messageOf(e));
    }
  }

  private DevImage image(String name) {
    return images.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
  }

  private static String messageOf(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private void rebuild(Set<String> names, List<String> done) {
    long buildStart = System.nanoTime();
    pendingRebuilds.addAll(names);
    List<BuiltImage> rebuilt = stack.build(names);
    rebuilt.forEach(b -> built.put(b.name(), b));
    pendingRebuilds.clear();
    done.add("rebuilt " + String.join(", ", names) + " (" + seconds(buildStart) + ")");
  }

  private void runCommand(DevImage image) {
    log.info("Running '" + image.command().describe() + "' for image " + image.name() + ".");
    commands.run(image.command());
  }

  private List<Path> roots() {
    Set<Path> roots = new LinkedHashSet<>();
    for (DevImage image : images) {
      image.layers().forEach(l -> roots.add(l.source()));
      if (image.command() != null) {
        roots.addAll(image.command().watch());
      }
    }
    if (manifests != null) {
      roots.add(manifests);
    }
    return List.copyOf(roots);
  }

  private List<Path> rootsTouchedBy(Set<Path> events) {
    return watcher.roots().stream()
        .filter(root -> events.stream().anyMatch(e -> e.startsWith(root) || root.startsWith(e)))
        .toList();
  }

  private String describe(Collection<FileChange> changes) {
    List<String> names = changes.stream()
        .map(c -> (c.file().startsWith(basedir) ? basedir.relativize(c.file()) : c.file()) + (c.deleted() ? " (deleted)" : ""))
        .toList();
    if (names.isEmpty()) {
      return "nothing new (retrying what failed)";
    }
    return names.size() <= 5
        ? String.join(", ", names)
        : names.stream().limit(5).collect(Collectors.joining(", ")) + " and " + (names.size() - 5) + " more";
  }

  private static String seconds(long startNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
