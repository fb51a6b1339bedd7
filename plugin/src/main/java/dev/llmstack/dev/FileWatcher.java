package dev.llmstack.dev;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches files and directory trees (inotify on Linux) and hands out changes in batches: a batch
 * ends once no event arrived for the debounce interval, so a build writing fifty files is one batch.
 * Each root's parent is watched too, so a root that is deleted and re-created is seen.
 */
public final class FileWatcher implements AutoCloseable {

  private final WatchService service;
  private final List<Path> roots;
  private final Map<WatchKey, Path> directories = new ConcurrentHashMap<>();
  private final Set<Path> registered = ConcurrentHashMap.newKeySet();

  public FileWatcher(Collection<Path> roots) {
    this.roots = List.copyOf(roots);
    try {
      this.service = roots.isEmpty() ? null : roots.iterator().next().getFileSystem().newWatchService();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot watch files", e);
    }
    for (Path root : this.roots) {
      registerParent(root);
      registerTree(root);
    }
  }

  public List<Path> roots() {
    return roots;
  }

  /**
   * Blocks until something under a root changes, then collects until the debounce interval passes
   * quietly. Returns the changed paths (files or directories; a directory means "look inside").
   *
   * @throws ClosedWatchServiceException when {@link #close()} was called
   */
  public Set<Path> awaitChanges(Duration debounce) throws InterruptedException {
    if (service == null) {
      new java.util.concurrent.CountDownLatch(1).await(); // nothing to watch: wait to be interrupted
    }
    Set<Path> changed = new LinkedHashSet<>();
    WatchKey key = service.take();
    while (key != null) {
      collect(key, changed);
      key = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS);
      if (key == null && changed.isEmpty()) {
        key = service.take(); // only events outside the roots so far
      }
    }
    return changed;
  }

  private void collect(WatchKey key, Set<Path> changed) {
    Path directory = directories.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (directory == null) {
        continue;
      }
      if (event.kind() == OVERFLOW) {
        changed.add(directory); // events were lost: rescan the whole directory
        continue;
      }
      Path path = directory.resolve((Path) event.context());
      if (!isWatched(path)) {
        continue;
      }
      changed.add(path);
      if (event.kind() == ENTRY_CREATE && Files.isDirectory(path)) {
        registerTree(path); // files created before the registration are found by the rescan
      }
    }
    if (!key.reset()) {
      directories.remove(key);
      registered.remove(directory);
    }
  }

  private boolean isWatched(Path path) {
    return roots.stream().anyMatch(path::startsWith);
  }

  private void registerParent(Path root) {
    Path parent = root.getParent();
    while (parent != null && !Files.isDirectory(parent)) {
      parent = parent.getParent();
    }
    if (parent != null) {
      register(parent);
    }
  }

  private void registerTree(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      walk.filter(Files::isDirectory).forEach(this::register);
    } catch (IOException | UncheckedIOException e) {
      // a directory vanished while we walked; its parent's events cover it
    }
  }

  private void register(Path directory) {
    if (!registered.add(directory)) {
      return;
    }
    try {
      directories.put(directory.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), directory);
    } catch (IOException e) {
      registered.remove(directory);
    }
  }

  @Override
  public void close() {
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }
}
