package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.DockerException;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.cache.CachedLayer;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.common.collect.ImmutableSet;
import dev.llmstack.docker.DaemonClient;
import dev.llmstack.error.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The transport's two paths: a partial load, and the fall-back to a full one when refused. */
class TarballTransportTest {

  private static final String BASE = "b".repeat(64);
  private static final String APP = "a".repeat(64);
  private static CachedLayer layer(String hash, String content) throws Exception {
    return CachedLayer.builder()
        .setLayerDigest(DescriptorDigest.fromHash(hash))
        .setLayerDiffId(DescriptorDigest.fromHash(hash.replace(hash.charAt(0), 'd').substring(0, 63) + hash.charAt(0)))
        .setLayerSize(content.length())
        .setLayerBlob(Blobs.from(content))
        .build();
  }

  private static ImageTarball tarball() throws Exception {
    Image image = Image.builder(V22ManifestTemplate.class)
        .setArchitecture("amd64").setOs("linux")
        .addLayer(layer(BASE, "base-layer-bytes"))
        .addLayer(layer(APP, "app-layer-bytes"))
        .build();
    return new ImageTarball(image, ImageReference.parse("web:dev"), ImmutableSet.of("dev"));
  }

  /** Entry names of each tar the sink received; refuses tars lacking a layer file if asked to. */
  private static final class RecordingSink implements TarballTransport.TarSink {
    final List<List<String>> received = new ArrayList<>();
    final boolean refusePartial;

    RecordingSink(boolean refusePartial) {
      this.refusePartial = refusePartial;
    }

    @Override
    public void accept(DaemonClient.TarWriter tar) throws IOException {
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      tar.writeTo(written);
      List<String> names = new ArrayList<>();
      TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(written.toByteArray()));
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
      received.add(names);
      if (refusePartial && names.stream().filter(n -> n.endsWith(".tar.gz")).count() < 2) {
        // what a containerd-store daemon says: it wants every layer file
        throw new DockerException("open /var/lib/docker/tmp/docker-import/" + BASE + ".tar.gz: no such file or directory", 500);
      }
    }
  }

  @Test
  @DisplayName("leaves out the layer file the daemon holds (same position, same diff ID) and sends the rest")
  void partial() throws Exception {
    ImageTarball tarball = tarball();
    List<DockerLoadTar.LayerFile> layers = DockerLoadTar.of(tarball).layers();
    RecordingSink sink = new RecordingSink(false);
    TarballTransport transport = new TarballTransport("web", sink, DockerInfoDetails::new,
        () -> List.of(layers.get(0).diffId(), "sha256:" + "0".repeat(64)), new java.util.concurrent.atomic.AtomicBoolean(), dev.llmstack.log.BuildLog.silent());

    transport.load(tarball, bytes -> {});

    assertThat(sink.received).hasSize(1);
    assertThat(sink.received.get(0)).contains(APP + ".tar.gz", "config.json", "manifest.json").doesNotContain(BASE + ".tar.gz");
    assertThat(transport.sentBytes()).isPositive();
  }

  @Test
  @DisplayName("a daemon that refuses the partial tar gets the whole image, and the log says so")
  void fallBack() throws Exception {
    ImageTarball tarball = tarball();
    List<DockerLoadTar.LayerFile> layers = DockerLoadTar.of(tarball).layers();
    RecordingSink sink = new RecordingSink(true);
    dev.llmstack.log.RecordingLog log = new dev.llmstack.log.RecordingLog();
    TarballTransport transport = new TarballTransport("web", sink, DockerInfoDetails::new, () -> List.of(layers.get(0).diffId()), new java.util.concurrent.atomic.AtomicBoolean(), log);

    transport.load(tarball, bytes -> {});

    assertThat(sink.received).hasSize(2);
    assertThat(sink.received.get(1)).contains(BASE + ".tar.gz", APP + ".tar.gz");
    assertThat(log.warnings).singleElement().asString().contains("refused an image without the layer files");
  }

  @Test
  @DisplayName("a layer file that cannot be read fails the partial load as it is: not retried whole, no warning about the daemon")
  void unreadableLayerNotRetried(@TempDir Path cache) throws Exception {
    Path missing = cache.resolve("layers").resolve(APP).resolve("d".repeat(64));
    CachedLayer app = CachedLayer.builder()
        .setLayerDigest(DescriptorDigest.fromHash(APP))
        .setLayerDiffId(DescriptorDigest.fromHash("d".repeat(64)))
        .setLayerSize(10)
        .setLayerBlob(Blobs.from(missing))
        .build();
    Image image = Image.builder(V22ManifestTemplate.class).setArchitecture("amd64").setOs("linux")
        .addLayer(layer(BASE, "base-layer-bytes")).addLayer(app).build();
    ImageTarball tarball = new ImageTarball(image, ImageReference.parse("web:dev"), ImmutableSet.of("dev"));
    List<String> layers = DockerLoadTar.of(tarball).layers().stream().map(DockerLoadTar.LayerFile::diffId).toList();
    RecordingSink sink = new RecordingSink(false);
    dev.llmstack.log.RecordingLog log = new dev.llmstack.log.RecordingLog();
    TarballTransport transport = new TarballTransport("web", sink, DockerInfoDetails::new,
        () -> List.of(layers.get(0)), new java.util.concurrent.atomic.AtomicBoolean(), log);

    assertThatThrownBy(() -> transport.load(tarball, bytes -> {}))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Jib's cached layer " + missing)
        .hasMessageContaining("Delete Jib's cache " + cache + " and build again");
    assertThat(sink.received).isEmpty();
    assertThat(log.warnings).isEmpty();
  }

  private static ImageTarball tarballWith(com.google.cloud.tools.jib.blob.Blob appBlob, long appSize) throws Exception {
    CachedLayer app = CachedLayer.builder()
        .setLayerDigest(DescriptorDigest.fromHash(APP))
        .setLayerDiffId(DescriptorDigest.fromHash("d".repeat(64)))
        .setLayerSize(appSize)
        .setLayerBlob(appBlob)
        .build();
    Image image = Image.builder(V22ManifestTemplate.class).setArchitecture("amd64").setOs("linux").addLayer(app).build();
    return new ImageTarball(image, ImageReference.parse("web:dev"), ImmutableSet.of("dev"));
  }

  @Test
  @Timeout(20)
  @DisplayName("when a layer cannot be read while the tar is written, that failure is reported")
  void jibsFailure() throws Exception {
    ImageTarball tarball = tarballWith(Blobs.from(out -> {
      out.write(new byte[1000]);
      throw new IOException("cached layer file gone");
    }, false), 2000);
    TarballTransport transport = new TarballTransport("web", new RecordingSink(false), DockerInfoDetails::new,
        List::of, new java.util.concurrent.atomic.AtomicBoolean(), dev.llmstack.log.BuildLog.silent());

    assertThatThrownBy(() -> transport.load(tarball, bytes -> {})).isInstanceOf(IOException.class).hasMessage("cached layer file gone");
  }

  @Test
  @Timeout(20)
  @DisplayName("when the sink fails while the tar is written (the daemon went away), the sink's failure is reported")
  void sinksFailure() throws Exception {
    ImageTarball tarball = tarballWith(Blobs.from(out -> {
      for (int i = 0; i < 64; i++) {
        out.write(new byte[64 * 1024]); // 4 MB, more than the pipe holds
      }
    }, false), 4 << 20);
    TarballTransport.TarSink goesAway = tar -> tar.writeTo(new java.io.OutputStream() {
      private long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        written += len;
        if (written > 100_000) {
          throw new IOException("Broken pipe (the daemon went away)");
        }
      }
    });
    TarballTransport transport = new TarballTransport("web", goesAway, DockerInfoDetails::new,
        List::of, new java.util.concurrent.atomic.AtomicBoolean(), dev.llmstack.log.BuildLog.silent());

    assertThatThrownBy(() -> transport.load(tarball, bytes -> {})).hasMessageContaining("the daemon went away");
  }
}
