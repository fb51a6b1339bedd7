package dev.llmstack.image;

import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.common.io.CountingOutputStream;
import dev.llmstack.docker.LoadTarRewriter;
import dev.llmstack.log.BuildLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Jib's hook for the last step of a daemon build: jib-core hands over the image as a docker-load
 * tar. Instead of piping all of it into the {@code docker} CLI (what jib-core does by default, base
 * layers included, every time), this streams it into a {@link TarSink} — the daemon's Engine API or
 * a file — with the short-image-ID tag added and without the layer files the daemon already holds.
 * A daemon that refuses such a tar gets the whole image, and the log says so once.
 */
final class TarballTransport implements DockerClient {

  /** Consumes a docker-load tar stream. */
  interface TarSink {
    void accept(InputStream tar) throws IOException;
  }

  private static final int PIPE_BUFFER = 1 << 20;

  private final String repository;
  private final TarSink sink;
  private final Supplier<DockerInfoDetails> info;
  private final ExecutorService threads;
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
      ExecutorService threads,
      Supplier<List<String>> daemonLayers,
      AtomicBoolean partialRefused,
      BuildLog log) {
    this.repository = repository;
    this.sink = sink;
    this.info = info;
    this.threads = threads;
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
    List<String> inDaemon = partialRefused.get() ? List.of() : daemonLayers.get();
    Set<String> omit =
        inDaemon.isEmpty()
            ? Set.of()
            : TarballLayers.of(tarball).map(l -> Set.copyOf(TarballLayers.alreadyInDaemon(l, inDaemon))).orElse(Set.of());
    try {
      send(tarball, omit);
    } catch (IOException | RuntimeException e) {
      if (omit.isEmpty()) {
        throw e;
      }
      if (partialRefused.compareAndSet(false, true)) {
        log.warn("The Docker daemon refused an image without the layer files it already holds ("
            + e.getMessage() + "); sending whole images from now on.");
      }
      send(tarball, Set.of());
    }
    writtenBytes.accept(sentBytes);
    return "Loaded " + imageId;
  }

  private void send(ImageTarball tarball, Set<String> omit) throws InterruptedException, IOException {
    PipedInputStream fromJib = new PipedInputStream(PIPE_BUFFER);
    PipedOutputStream jibOut = new PipedOutputStream(fromJib);
    PipedInputStream toSink = new PipedInputStream(PIPE_BUFFER);
    PipedOutputStream sinkOut = new PipedOutputStream(toSink);
    Future<?> writer = threads.submit(closing(jibOut, () -> tarball.writeTo(jibOut)));
    Future<?> consumer = threads.submit(closing(toSink, () -> sink.accept(toSink)));
    CountingOutputStream counted = new CountingOutputStream(sinkOut);
    try (fromJib; counted) {
      imageId = LoadTarRewriter.copyAddingIdTag(fromJib, counted, repository, omit);
    } catch (IOException e) {
      // The sink's own failure (e.g. the daemon's refusal) says more than a broken pipe.
      await(consumer);
      throw e;
    }
    await(writer);
    await(consumer);
    sentBytes = counted.getCount();
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /** Runs the action and always closes its end of the pipe, so the other end never waits forever. */
  private static Callable<Void> closing(AutoCloseable end, IoAction action) {
    return () -> {
      try (end) {
        action.run();
      }
      return null;
    };
  }

  private static void await(Future<?> task) throws IOException, InterruptedException {
    try {
      task.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
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
