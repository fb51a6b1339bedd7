package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoadTarRewriterTest {

  private static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
  private static final String MANIFEST =
      "[{\"Config\":\"config.json\",\"RepoTags\":[\"litellm:dev\"],\"Layers\":[\"abc.tar.gz\"]}]";

  @Test
  @DisplayName("adds <repository>:<short image id> to the tags and returns the config digest")
  void addsShortIdTag() throws Exception {
    // Given a docker-load tar as jib-core writes it
    byte[] tar = tar(Map.of("abc.tar.gz", "layer-bytes", "config.json", CONFIG, "manifest.json", MANIFEST), 1_700_000_000_000L);

    // When it is rewritten
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String id = LoadTarRewriter.copyAddingIdTag(new ByteArrayInputStream(tar), out, "litellm");

    // Then the id is the config's digest and the manifest carries both tags
    String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CONFIG.getBytes(StandardCharsets.UTF_8)));
    assertThat(id).isEqualTo(expected);
    Map<String, String> entries = entries(out.toByteArray());
    assertThat(entries.get("manifest.json")).contains("\"litellm:dev\"", "\"litellm:" + expected.substring(7, 19) + "\"");
    assertThat(entries.get("abc.tar.gz")).isEqualTo("layer-bytes");
    assertThat(entries.get("config.json")).isEqualTo(CONFIG);
  }

  @Test
  @DisplayName("gives the same bytes for the same image, whatever time jib-core stamped on manifest.json")
  void reproducible() throws Exception {
    byte[] a = rewrite(tar(Map.of("config.json", CONFIG, "manifest.json", MANIFEST), 1_700_000_000_123L));
    byte[] b = rewrite(tar(Map.of("config.json", CONFIG, "manifest.json", MANIFEST), 1_800_000_000_456L));
    assertThat(a).isEqualTo(b);
  }

  @Test
  @DisplayName("refuses a tar without manifest.json")
  void noManifest() throws Exception {
    byte[] tar = tar(Map.of("config.json", CONFIG), 0);
    assertThatThrownBy(() -> rewrite(tar)).isInstanceOf(IOException.class).hasMessageContaining("manifest.json");
  }

  private static byte[] rewrite(byte[] tar) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LoadTarRewriter.copyAddingIdTag(new ByteArrayInputStream(tar), out, "litellm");
    return out.toByteArray();
  }

  private static byte[] tar(Map<String, String> files, long manifestTime) throws IOException {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String name : List.of("abc.tar.gz", "config.json", "manifest.json")) {
      if (files.containsKey(name)) {
        ordered.put(name, files.get(name));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, String> file : ordered.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(content.length);
        entry.setModTime(new Date(file.getKey().equals("manifest.json") ? manifestTime : 1000));
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static Map<String, String> entries(byte[] tar) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}
