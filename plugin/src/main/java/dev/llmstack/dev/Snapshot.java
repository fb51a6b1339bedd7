package dev.llmstack.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The content of every watched file, so that a burst of file events becomes the files whose content
 * really changed: an editor's save-by-rename or a build that rewrites identical files is no change.
 * Hashes are recomputed only for files whose size or modification time moved.
 */
public final class Snapshot {

  private record Entry(long size, long modified, String hash) {}

  private final Map<Path, Entry> entries = new HashMap<>();

  /** Records the current content under these roots without reporting anything. */
  public void take(Collection<Path> roots) {
    rescan(roots);
  }

  /** Re-reads the roots (files or directories) and returns what changed since the last look. */
  public Set<FileChange> rescan(Collection<Path> roots) {
    Set<FileChange> changes = new LinkedHashSet<>();
    Set<Path> seen = new LinkedHashSet<>();
    for (Path root : roots) {
      for (Path file : filesUnder(root)) {
        seen.add(file);
        Entry before = entries.get(file);
        Entry now = read(file, before);
        if (now == null) {
          continue; // vanished while we looked: the next event reports it
        }
        entries.put(file, now);
        if (before == null || !before.hash().equals(now.hash())) {
          changes.add(FileChange.modified(file));
        }
      }
    }
    for (Path known : List.copyOf(entries.keySet())) {
      if (!seen.contains(known) && roots.stream().anyMatch(known::startsWith)) {
        entries.remove(known);
        changes.add(FileChange.deleted(known));
      }
    }
    return changes;
  }

  private static List<Path> filesUnder(Path root) {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of(); // a directory removed mid-walk: rescanned on its next event
    }
  }

  private static Entry read(Path file, Entry before) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      long size = attributes.size();
      long modified = attributes.lastModifiedTime().toMillis();
      if (before != null && before.size() == size && before.modified() == modified) {
        return before;
      }
      return new Entry(size, modified, hash(file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hash(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
