package dev.llmstack.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.llmstack.docker.DaemonClient;
import dev.llmstack.docker.DaemonImage;
import dev.llmstack.log.BuildLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Images loaded into a Docker daemon through its Engine API; the daemon itself is the cache. */
final class DaemonOutput implements ImageOutput {

  private final Supplier<DaemonClient> daemon;
  private final JibSettings jib;
  private final String tag;
  private final BuildLog log;
  private final AtomicBoolean partialRefused = new AtomicBoolean();
  private volatile DockerInfoDetails info;

  /** @param daemon the connected daemon; waits until it is */
  DaemonOutput(Supplier<DaemonClient> daemon, JibSettings jib, String tag, BuildLog log) {
    this.log = log;
    this.daemon = daemon;
    this.jib = jib;
    this.tag = tag;
  }

  @Override
  public Optional<BuiltImage> unchanged(ImageSpec spec, String inputDigest) {
    String stable = spec.repository() + ":" + tag;
    return daemon
        .get()
        .inspect(stable)
        .filter(image -> inputDigest.equals(image.labels().get(JibContainerFactory.INPUT_DIGEST_LABEL)))
        .map(
            image -> {
              String shortId = DaemonImage.shortId(image.id());
              if (!image.repoTags().contains(spec.repository() + ":" + shortId)) {
                daemon.get().tag(image.id(), spec.repository(), shortId);
              }
              return result(spec, inputDigest, image, false, 0);
            });
  }

  @Override
  public BuiltImage build(ImageSpec spec, String inputDigest, JibContainerBuilder container)
      throws Exception {
    String stable = spec.repository() + ":" + tag;
    // The previous build of this image: its layers (usually the base's) need not be sent again.
    // Asked when Jib has the image ready to send: Jib's work may start before the daemon answers.
    Supplier<List<String>> daemonLayers =
        () -> daemon.get().inspect(stable).map(DaemonImage::layers).orElse(List.of());
    TarballTransport transport =
        new TarballTransport(
            spec.repository(), tar -> daemon.get().load(tar), this::dockerInfo, daemonLayers, partialRefused, log);
    Containerizer to = Containerizer.to(transport, DockerDaemonImage.named(stable));
    container.containerize(jib.configure(to, spec, null));
    DaemonImage loaded =
        daemon
            .get()
            .inspect(transport.imageId())
            .orElseThrow(() -> new IOException("The daemon does not show the image it just loaded: " + stable));
    return result(spec, inputDigest, loaded, true, transport.sentBytes());
  }

  private BuiltImage result(ImageSpec spec, String inputDigest, DaemonImage image, boolean changed, long sent) {
    return new BuiltImage(
        spec.name(),
        spec.repository() + ":" + DaemonImage.shortId(image.id()),
        spec.repository() + ":" + tag,
        image.id(),
        inputDigest,
        "docker",
        image.size(),
        sent,
        0,
        changed);
  }

  /** Jib asks which OS/architecture to pick from multi-platform bases. */
  private DockerInfoDetails dockerInfo() {
    if (info == null) {
      DaemonClient.Info platform = daemon.get().info();
      String json = "{\"OSType\":\"" + platform.os() + "\",\"Architecture\":\"" + platform.architecture() + "\"}";
      try {
        info = JsonTemplateMapper.readJson(json, DockerInfoDetails.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return info;
  }
}
