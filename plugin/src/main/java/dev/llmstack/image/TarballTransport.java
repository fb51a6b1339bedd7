package dev.llmstack.image;

import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.common.io.CountingOutputStream;
import dev.llmstack.docker.DaemonClient;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.log.BuildLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Jib's hook for the last step of a daemon build: jib-core hands over the image as a docker-load
 * tar. Instead of piping all of it into the {@code docker} CLI (what jib-core does by default, base
 * layers included, every time), this writes it ({@link DockerLoadTar}) into a {@link TarSink} — the
 * daemon's Engine API or a file — with the short-image-ID tag added and without the layer files the
 * daemon already holds.
 * A daemon that refuses such a tar gets the whole image, and the log says so once.
 */
final class TarballTransport implements DockerClient {

  /** Takes a docker-load tar: has it written (to the daemon's request, a file), then returns. */
  interface TarSink {
    void accept(DaemonClient.TarWriter tar) throws IOException;
  }

  private final String repository;
  private final TarSink sink;
  private final Supplier<DockerInfoDetails> info;
  private final Supplier<List<String>> daemonLayers;
  private final AtomicBoolean partialRefused;
  private final BuildLog log;
  private volatile String imageId;
  private volatile long sentBytes;

  /**
   * @param daemonLayers diff IDs, bottom first, of an image the sink's daemon holds (the previous
   *     build), asked for when the image is sent; the files of a shared prefix of layers are left
   *     out. Empty: send everything.
   * @param partialRefused shared by one build's transports: once the daemon refused a partial tar,
   *     every load is a full one (and the log said so once)
   */
  TarballTransport(
      String repository,
      TarSink sink,
      Supplier<DockerInfoDetails> info,
      Supplier<List<String>> daemonLayers,
      AtomicBoolean partialRefused,
      BuildLog log) {
    this.repository = repository;
    this.sink = sink;
    this.info = info;
    this.daemonLayers = daemonLayers;
    this.partialRefused = partialRefused;
    this.log = log;
  }

  /** Bytes of the tar handed to the sink by the last {@link #load}. */
  long sentBytes() {
    return sentBytes;
  }

  /** The ID of the image last written, known once {@link #load} returned. */
  String imageId() {
    return imageId;
  }

  @Override
  public boolean supported(Map<String, String> parameters) {
    return true;
  }

  @Override
  public String load(ImageTarball tarball, Consumer<Long> writtenBytes)
      throws InterruptedException, IOException {
    DockerLoadTar tar = DockerLoadTar.of(tarball);
    List<String> inDaemon = partialRefused.get() ? List.of() : daemonLayers.get();
    Set<String> omit = Set.copyOf(DockerLoadTar.alreadyInDaemon(tar.layers(), inDaemon));
    try {
      send(tar, omit);
    } catch (IOException | RuntimeException e) {
      if (omit.isEmpty() || e instanceof LlmstackException) { // ours: a layer file that cannot be sent
        throw e;
      }
      if (partialRefused.compareAndSet(false, true)) {
        log.warn("The Docker daemon refused an image without the layer files it already holds ("
            + e.getMessage() + "); sending whole images from now on.");
      }
      send(tar, Set.of());
    }
    writtenBytes.accept(sentBytes);
    return "Loaded " + imageId;
  }

  private void send(DockerLoadTar tar, Set<String> omit) throws IOException {
    sink.accept(out -> {
      CountingOutputStream counted = new CountingOutputStream(out);
      imageId = tar.writeTo(counted, repository, omit);
      sentBytes = counted.getCount();
    });
  }

  @Override
  public void save(ImageReference imageReference, Path outputPath, Consumer<Long> writtenBytes) {
    throw new UnsupportedOperationException("llmstack builds from registry base images only");
  }

  @Override
  public ImageDetails inspect(ImageReference imageReference) {
    throw new UnsupportedOperationException("llmstack builds from registry base images only");
  }

  @Override
  public DockerInfoDetails info() {
    return info.get();
  }
}
