package dev.llmstack.image;

import com.google.cloud.tools.jib.api.DockerClient;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.ImageDetails;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.common.io.CountingOutputStream;
import dev.llmstack.docker.DaemonClient;
import dev.llmstack.docker.LoadTarRewriter;
import dev.llmstack.log.BuildLog;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
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

  /** Takes a docker-load tar: has it written (to the daemon's request, a file), then returns. */
  interface TarSink {
    void accept(DaemonClient.TarWriter tar) throws IOException;
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

  /**
   * Jib writes the tar into a pipe on a thread of its own; the sink's writer (the load request's
   * body, or the file) copies it from there, rewritten.
   */
  private void send(ImageTarball tarball, Set<String> omit) throws InterruptedException, IOException {
    PipedInputStream fromJib = new PipedInputStream(PIPE_BUFFER);
    PipedOutputStream jibOut = new PipedOutputStream(fromJib);
    AtomicReference<Exception> jibFailed = new AtomicReference<>();
    Future<?> writer = threads.submit(() -> {
      try {
        tarball.writeTo(closeShielded(jibOut));
      } catch (IOException | RuntimeException e) {
        jibFailed.set(e); // before the pipe closes, which the reader sees as a truncated tar
        throw e;
      } finally {
        jibOut.close(); // never leaves the reader waiting
      }
      return null;
    });
    try {
      sink.accept(out -> {
        CountingOutputStream counted = new CountingOutputStream(out);
        imageId = LoadTarRewriter.copyAddingIdTag(fromJib, counted, repository, omit);
        sentBytes = counted.getCount();
      });
    } catch (IOException | RuntimeException e) {
      // Jib's own failure says more than the truncated tar it left; else the sink's (the daemon's refusal)
      if (jibFailed.get() != null) {
        await(writer);
      }
      throw e;
    } finally {
      fromJib.close(); // a writer still writing (the sink failed) ends at once
    }
    await(writer);
  }

  /**
   * Jib closes the stream it writes to also when it fails; the pipe must stay open until that
   * failure is recorded, or the reader would report the truncated tar first.
   */
  private static OutputStream closeShielded(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
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
