package dev.llmstack.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashCacheTest {

  private static final Instant AN_HOUR_AGO = Instant.now().minusSeconds(3600);

  @TempDir Path dir;

  @Test
  @DisplayName("a file whose metadata is as recorded is not read again; a changed one is")
  void reusesUnchanged() throws IOException {
    // Given two files last modified an hour ago, hashed once and saved
    Path a = file("a.txt", "alpha", AN_HOUR_AGO);
    Path b = file("b.txt", "beta", AN_HOUR_AGO);
    Path cacheFile = dir.resolve("cache");
    FileHashCache first = FileHashCache.load(cacheFile);
    byte[] hashA = first.sha256(a, stamp(a), new byte[16]);
    first.sha256(b, stamp(b), new byte[16]);
    first.save();
    assertThat(first.filesRead()).isEqualTo(2);

    // When b is edited and both are asked for again
    Files.writeString(b, "beta, edited");
    FileHashCache second = FileHashCache.load(cacheFile);
    byte[] again = second.sha256(a, stamp(a), new byte[16]);
    byte[] hashB = second.sha256(b, stamp(b), new byte[16]);

    // Then only b was read, and both hashes are those of the contents
    assertThat(second.filesReused()).isEqualTo(1);
    assertThat(second.filesRead()).isEqualTo(1);
    assertThat(again).isEqualTo(hashA).isEqualTo(sha("alpha"));
    assertThat(hashB).isEqualTo(sha("beta, edited"));
  }

  @Test
  @DisplayName("racy git: a change that keeps size and time, made close to the cache's write, is still seen")
  void racyEntryIsReadAgain() throws IOException {
    // Given a file hashed and the cache written within a second of the file's modification time
    Instant t = AN_HOUR_AGO;
    Path f = file("config.yaml", "port: 1", t);
    Path cacheFile = dir.resolve("cache");
    FileHashCache first = FileHashCache.load(cacheFile);
    first.sha256(f, stamp(f), new byte[16]);
    first.save();
    Files.setLastModifiedTime(cacheFile, FileTime.from(t.plusMillis(800)));

    // When the file is changed again within the same timestamp (same size, same modification time)
    Files.writeString(f, "port: 2");
    Files.setLastModifiedTime(f, FileTime.from(t));

    // Then its metadata is ambiguous and the content decides
    FileHashCache second = FileHashCache.load(cacheFile);
    assertThat(second.sha256(f, stamp(f), new byte[16])).isEqualTo(sha("port: 2"));
    assertThat(second.filesRead()).isEqualTo(1);
  }

  @Test
  @DisplayName("nothing read, nothing written: the cache file keeps its time, so its entries stay out of the racy window")
  void noRewriteWhenNothingRead() throws IOException {
    Path f = file("a.txt", "alpha", AN_HOUR_AGO);
    Path cacheFile = dir.resolve("cache");
    FileHashCache first = FileHashCache.load(cacheFile);
    first.sha256(f, stamp(f), new byte[16]);
    first.save();
    FileTime written = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(cacheFile, written);

    FileHashCache second = FileHashCache.load(cacheFile);
    second.sha256(f, stamp(f), new byte[16]);
    second.save();

    assertThat(second.filesRead()).isZero();
    assertThat(Files.getLastModifiedTime(cacheFile)).isEqualTo(written);
  }

  @Test
  @DisplayName("a damaged cache file costs a full read, not a failure")
  void damagedFile() throws IOException {
    Path f = file("a.txt", "alpha", AN_HOUR_AGO);
    Path cacheFile = Files.write(dir.resolve("cache"), new byte[] {0, 0, 0, 1, 0, 0, 0, 9, 1});

    FileHashCache cache = FileHashCache.load(cacheFile);

    assertThat(cache.sha256(f, stamp(f), new byte[16])).isEqualTo(sha("alpha"));
    assertThat(cache.filesRead()).isEqualTo(1);
  }

  private Path file(String name, String content, Instant modified) throws IOException {
    Path f = Files.writeString(dir.resolve(name), content);
    Files.setLastModifiedTime(f, FileTime.from(modified));
    return f;
  }

  static FileHashCache.Stamp stamp(Path f) throws IOException {
    var attrs = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
    return new FileHashCache.Stamp(
        attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS), java.util.Objects.hashCode(attrs.fileKey()), 0644);
  }

  private static byte[] sha(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
