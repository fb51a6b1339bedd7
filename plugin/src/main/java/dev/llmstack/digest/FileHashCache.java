package dev.llmstack.digest;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SHA-256 of file contents, remembered between builds with each file's metadata (a stat cache, as
 * git's index and BuildKit's context cache keep): a file whose size, modification time, inode and
 * mode are as recorded is not read again. A large layer directory (20,000 files) is then listed,
 * not read, on every build.
 *
 * <p>Content stays the truth where metadata is ambiguous ("racy git"): a file modified within
 * {@link #RACY_WINDOW_NANOS} before the cache was written could be changed again without its
 * timestamp moving (1 s granularity on ext3 and HFS+, 2 s on FAT, a kernel tick on ext4), so such
 * an entry is not trusted and the file is read again. The window is measured against the cache
 * file's own modification time, from the same file system clock.
 *
 * <p>Thread-safe: the images of a build are digested in parallel.
 */
public final class FileHashCache {

  /** Entries this close to the cache's write time (or after it) are re-read: 2 s, FAT's granularity. */
  static final long RACY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final int FORMAT = 3;

  /**
   * What the cache knows of one file.
   *
   * @param fileKey the hash of the file system's key (device and inode on Linux): a file replaced by
   *     another with the same size and time is told apart
   */
  public record Stamp(long size, long modifiedNanos, int fileKey, int mode) {}

  private record Entry(Stamp stamp, byte[] sha256) {}

  private final Path file;
  private final Future<Map<String, Entry>> previous;
  private final long writtenAtNanos;
  private final Map<String, Entry> current = new ConcurrentHashMap<>();
  private final AtomicInteger read = new AtomicInteger();
  private final AtomicInteger reused = new AtomicInteger();

  private FileHashCache(Path file, Future<Map<String, Entry>> previous, long writtenAtNanos) {
    this.file = file;
    this.previous = previous;
    this.writtenAtNanos = writtenAtNanos;
  }

  /** No memory: every file is read (tests, and a cache file that cannot be read). */
  public static FileHashCache none() {
    return new FileHashCache(null, CompletableFuture.completedFuture(Map.of()), Long.MIN_VALUE);
  }

  /** The cache in {@code file}; empty if absent or unreadable (costs one full read, nothing else). */
  public static FileHashCache load(Path file) {
    return load(file, Runnable::run);
  }

  /**
   * The same, read on {@code executor}: the layer directories are listed meanwhile, and only the
   * first file's hash waits for it.
   */
  public static FileHashCache load(Path file, Executor executor) {
    long writtenAt;
    try {
      writtenAt = Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
    } catch (IOException e) {
      return new FileHashCache(file, CompletableFuture.completedFuture(Map.of()), Long.MIN_VALUE);
    }
    return new FileHashCache(file, CompletableFuture.supplyAsync(() -> readEntries(file), executor), writtenAt);
  }

  /**
   * The SHA-256 of a regular file's content: remembered if its stamp is as recorded and not racy,
   * else read.
   *
   * @param buffer the calling thread's read buffer
   */
  public byte[] sha256(Path path, Stamp stamp, byte[] buffer) throws IOException {
    String key = path.toString();
    Entry known = previous().get(key);
    if (known != null && known.stamp().equals(stamp) && stamp.modifiedNanos() < writtenAtNanos - RACY_WINDOW_NANOS) {
      current.put(key, known);
      reused.incrementAndGet();
      return known.sha256();
    }
    byte[] sha = hash(path, buffer);
    current.put(key, new Entry(stamp, sha));
    read.incrementAndGet();
    return sha;
  }

  /** Files read in this build. */
  public int filesRead() {
    return read.get();
  }

  /** Files whose remembered hash was used. */
  public int filesReused() {
    return reused.get();
  }

  /**
   * Writes what this build saw (files no longer used are dropped), unless nothing was read: then
   * the file on disk is already right, and keeping its time keeps its entries out of the racy
   * window.
   */
  public void save() {
    if (file == null || (read.get() == 0 && current.size() == previous().size())) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(FORMAT);
        out.writeInt(current.size());
        for (Map.Entry<String, Entry> e : current.entrySet()) {
          Stamp s = e.getValue().stamp();
          writeText(out, e.getKey());
          out.writeLong(s.size());
          out.writeLong(s.modifiedNanos());
          out.writeInt(s.fileKey());
          out.writeInt(s.mode());
          out.write(e.getValue().sha256());
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private Map<String, Entry> previous() {
    try {
      return previous.get();
    } catch (ExecutionException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  private static Map<String, Entry> readEntries(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != FORMAT) {
        return Map.of();
      }
      int n = in.readInt();
      Map<String, Entry> entries = new ConcurrentHashMap<>(Math.max(16, n * 4 / 3 + 1));
      for (int i = 0; i < n; i++) {
        String path = readText(in);
        Stamp stamp = new Stamp(in.readLong(), in.readLong(), in.readInt(), in.readInt());
        byte[] sha = new byte[32];
        in.readFully(sha);
        entries.put(path, new Entry(stamp, sha));
      }
      return entries;
    } catch (IOException | IllegalArgumentException e) {
      return Map.of(); // damaged or unreadable: one full read of the files, nothing else
    }
  }

  // UTF-8 bytes with a length, not writeUTF/readUTF: their per-character loop ran interpreted in a
  // fresh Maven JVM and made reading 20,000 paths most of a no-change build's own time.
  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readText(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 16) {
      throw new EOFException("not a cache entry");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] hash(Path path, byte[] buffer) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return sha.digest();
  }

  @Override
  public String toString() {
    return "FileHashCache[" + file + ", " + previous().size() + " known, read " + read + ", reused " + reused + "]";
  }
}
