package dev.llmstack.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import dev.llmstack.docker.DaemonImage;
import java.util.Optional;

/**
 * Images pushed to a registry under the stable tag and the short image ID. The ID is known only
 * after the first push, so the ID tag is a second push that finds every blob already there.
 */
final class RegistryOutput implements ImageOutput {

  private final ImageDestination.Registry destination;
  private final BuildRecord previous;
  private final JibSettings jib;
  private final String tag;

  RegistryOutput(ImageDestination.Registry destination, BuildRecord previous, JibSettings jib, String tag) {
    this.destination = destination;
    this.previous = previous;
    this.jib = jib;
    this.tag = tag;
  }

  private String repositoryOf(ImageSpec spec) {
    return destination.prefix() + "/" + spec.repository();
  }

  @Override
  public Optional<BuiltImage> unchanged(ImageSpec spec, String inputDigest) {
    String label = "registry " + destination.prefix();
    return previous
        .find(spec.name())
        .filter(b -> b.destination().equals(label) && b.inputDigest().equals(inputDigest));
  }

  @Override
  public BuiltImage build(ImageSpec spec, String inputDigest, JibContainerBuilder container)
      throws Exception {
    String repository = repositoryOf(spec);
    String pushRegistry = JibSettings.parse(repository + ":" + tag).getRegistry();
    String stable = repository + ":" + tag;
    JibContainer pushed =
        container.containerize(
            jib.configure(Containerizer.to(jib.registryImage(stable, spec.name())), spec, pushRegistry));
    String imageId = pushed.getImageId().toString();
    String byId = repository + ":" + DaemonImage.shortId(imageId);
    container.containerize(
        jib.configure(Containerizer.to(jib.registryImage(byId, spec.name())), spec, pushRegistry));
    return new BuiltImage(
        spec.name(), byId, stable, imageId, inputDigest, "registry " + destination.prefix(), -1, -1, 0, true);
  }
}
