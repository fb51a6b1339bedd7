package dev.llmstack.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.DockerDaemonImage;
import com.google.cloud.tools.jib.api.DockerInfoDetails;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.llmstack.docker.DaemonImage;
import dev.llmstack.log.BuildLog;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Images written as docker-load tars ({@code <directory>/<name>.tar}), each tagged with the stable
 * tag and its short image ID, then optionally handed to a loader ({@code minikube image load}).
 */
final class TarOutput implements ImageOutput {

  private final ImageDestination.Tar destination;
  private final BuildRecord previous;
  private final JibSettings jib;
  private final String tag;

  TarOutput(
      ImageDestination.Tar destination,
      BuildRecord previous,
      JibSettings jib,
      String tag) {
    this.destination = destination;
    this.previous = previous;
    this.jib = jib;
    this.tag = tag;
  }

  private Path tarOf(ImageSpec spec) {
    return destination.directory().resolve(spec.name() + ".tar");
  }

  @Override
  public Optional<BuiltImage> unchanged(ImageSpec spec, String inputDigest) {
    return previous
        .find(spec.name())
        .filter(b -> b.destination().equals("tar") && b.inputDigest().equals(inputDigest))
        .filter(b -> Files.isRegularFile(tarOf(spec)));
  }

  @Override
  public BuiltImage build(ImageSpec spec, String inputDigest, JibContainerBuilder container)
      throws Exception {
    Path tar = tarOf(spec);
    Files.createDirectories(tar.getParent());
    Path partial = tar.resolveSibling(tar.getFileName() + ".partial");
    TarballTransport transport =
        new TarballTransport(
            spec.repository(),
            image -> {
              try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                image.writeTo(out);
              }
            },
            DockerInfoDetails::new,
            List::of, // a tar file must hold every layer
            new java.util.concurrent.atomic.AtomicBoolean(),
            BuildLog.silent());
    String stable = spec.repository() + ":" + tag;
    container.containerize(jib.configure(Containerizer.to(transport, DockerDaemonImage.named(stable)), spec, null));
    Files.move(partial, tar, StandardCopyOption.REPLACE_EXISTING);
    if (destination.loader() != null) {
      destination.loader().load(tar);
    }
    return new BuiltImage(
        spec.name(),
        spec.repository() + ":" + DaemonImage.shortId(transport.imageId()),
        stable,
        transport.imageId(),
        inputDigest,
        "tar",
        Files.size(tar),
        Files.size(tar),
        0,
        true);
  }
}
