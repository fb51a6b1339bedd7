package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.cache.CachedLayer;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.common.collect.ImmutableSet;
import dev.llmstack.docker.DaemonImage;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.DockerLoadTar.LayerFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerLoadTarTest {

  private static final List<LayerFile> NEW =
      List.of(new LayerFile("b1.tar.gz", "sha256:d1"), new LayerFile("b2.tar.gz", "sha256:d2"), new LayerFile("a1.tar.gz", "sha256:d3"));
  private static final String BASE = "b".repeat(64);
  private static final String APP = "a".repeat(64);

  @TempDir Path dir;

  @Test
  @DisplayName("leaves out the files of the shared prefix of layers (same chain IDs), not more")
  void sharedPrefix() {
    // Given the daemon holds the previous build: same base layers, another app layer
    List<String> daemon = List.of("sha256:d1", "sha256:d2", "sha256:old");
    // Then only the base layers' files are left out
    assertThat(DockerLoadTar.alreadyInDaemon(NEW, daemon)).containsExactly("b1.tar.gz", "b2.tar.gz");
  }

  @Test
  @DisplayName("a layer equal to one the daemon holds at another position is still sent (its chain ID differs)")
  void samLayerElsewhere() {
    assertThat(DockerLoadTar.alreadyInDaemon(NEW, List.of("sha256:other", "sha256:d2", "sha256:d3"))).isEmpty();
  }

  @Test
  @DisplayName("nothing in the daemon: everything is sent")
  void nothing() {
    assertThat(DockerLoadTar.alreadyInDaemon(NEW, List.of())).isEmpty();
  }

  /** A cached layer as jib-core reads it from its cache: a file. */
  private CachedLayer fileLayer(String hash, byte[] content) throws Exception {
    Path file = Files.write(dir.resolve(hash), content);
    return layer(hash, Blobs.from(file), content.length);
  }

  private static CachedLayer layer(String hash, Blob blob, long size) throws Exception {
    return CachedLayer.builder()
        .setLayerDigest(DescriptorDigest.fromHash(hash))
        .setLayerDiffId(DescriptorDigest.fromHash(hash.replace(hash.charAt(0), 'd').substring(0, 63) + hash.charAt(0)))
        .setLayerSize(size)
        .setLayerBlob(blob)
        .build();
  }

  private ImageTarball tarball() throws Exception {
    byte[] base = new byte[600_000]; // more than one copy buffer, not a multiple of it
    new Random(7).nextBytes(base);
    Image image = Image.builder(V22ManifestTemplate.class)
        .setArchitecture("amd64").setOs("linux")
        .setEntrypoint(List.of("/app/run"))
        .addLabel("llmstack.dev/input-digest", "abc")
        .addLayer(fileLayer(BASE, base))
        .addLayer(layer(APP, Blobs.from("app-layer-bytes"), "app-layer-bytes".length()))
        .build();
    return new ImageTarball(image, ImageReference.parse("web:dev"), ImmutableSet.of("dev", "extra"));
  }

  @Test
  @DisplayName("writes what jib-core writes — same layer files, same config — plus the <repository>:<short ID> tag")
  void sameAsJibs() throws Exception {
    ImageTarball tarball = tarball();
    ByteArrayOutputStream jibs = new ByteArrayOutputStream();
    tarball.writeTo(jibs);
    ByteArrayOutputStream ours = new ByteArrayOutputStream();

    String id = DockerLoadTar.of(tarball).writeTo(ours, "web", Set.of());

    Map<String, byte[]> expected = entries(jibs.toByteArray());
    Map<String, byte[]> actual = entries(ours.toByteArray());
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(actual.get(BASE + ".tar.gz")).isEqualTo(expected.get(BASE + ".tar.gz"));
    assertThat(actual.get(APP + ".tar.gz")).isEqualTo(expected.get(APP + ".tar.gz"));
    assertThat(actual.get("config.json")).isEqualTo(expected.get("config.json"));
    assertThat(id).isEqualTo(DaemonImage.idOf(expected.get("config.json")));
    assertThat(text(actual.get("manifest.json")))
        .contains("\"web:dev\"", "\"web:extra\"", "\"web:" + DaemonImage.shortId(id) + "\"")
        .contains("\"" + BASE + ".tar.gz\"", "\"" + APP + ".tar.gz\"");
  }

  @Test
  @DisplayName("a cached layer is copied from its file (no digest on the way), any other blob through jib-core")
  void copiesFiles() throws Exception {
    Path file = Files.write(dir.resolve("layer"), new byte[] {1, 2, 3});
    assertThat(DockerLoadTar.fileOf(Blobs.from(file))).contains(file);
    assertThat(DockerLoadTar.fileOf(Blobs.from("bytes"))).isEmpty();
  }

  @Test
  @DisplayName("leaves out the named layer files; manifest.json still lists them")
  void omits() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DockerLoadTar.of(tarball()).writeTo(out, "web", Set.of(BASE + ".tar.gz"));

    Map<String, byte[]> entries = entries(out.toByteArray());
    assertThat(entries).containsOnlyKeys(APP + ".tar.gz", "config.json", "manifest.json");
    assertThat(text(entries.get("manifest.json"))).contains(BASE + ".tar.gz");
  }

  @Test
  @DisplayName("gives the same bytes for the same image: every entry is stamped 1970, not the time it was written (jib-core's manifest.json was)")
  void reproducible() throws Exception {
    ImageTarball tarball = tarball();
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DockerLoadTar.of(tarball).writeTo(a, "web", Set.of());
    DockerLoadTar.of(tarball).writeTo(b, "web", Set.of());

    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
    TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(a.toByteArray()));
    for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
      assertThat(e.getModTime().getTime()).as(e.getName()).isZero();
    }
  }

  @Test
  @DisplayName("an image it cannot write (an OCI one) is refused with what to do")
  void ociRefused() throws Exception {
    Image oci = Image.builder(OciManifestTemplate.class).build();
    ImageTarball tarball = new ImageTarball(oci, ImageReference.parse("web:dev"), ImmutableSet.of("dev"));

    assertThatThrownBy(() -> DockerLoadTar.of(tarball))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Remove the jib-core override from the plugin's <dependencies>");
  }

  @Test
  @DisplayName("a cached layer file of another size than the cache recorded is refused (the tar would be broken), naming the cache to delete")
  void damagedLayerFile() throws Exception {
    Path file = Files.createDirectories(dir.resolve("cache/layers").resolve(APP)).resolve("d".repeat(64));
    Files.write(file, new byte[] {1, 2, 3});
    Image image = Image.builder(V22ManifestTemplate.class).addLayer(layer(APP, Blobs.from(file), 5)).build();
    DockerLoadTar tar = DockerLoadTar.of(new ImageTarball(image, ImageReference.parse("web:dev"), ImmutableSet.of("dev")));

    assertThatThrownBy(() -> tar.writeTo(new ByteArrayOutputStream(), "web", Set.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Jib's cached layer " + file + " cannot be used (it is 3 bytes, the cache recorded 5)."
            + " Delete Jib's cache " + dir.resolve("cache") + " and build again; Jib fills it again.");
  }

  private static Map<String, byte[]> entries(byte[] tar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar));
    for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
      entries.put(e.getName(), in.readAllBytes());
    }
    return entries;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
