package dev.llmstack.image;

import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.cloud.tools.jib.image.Layer;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layers of the image inside a jib-core {@link ImageTarball}, known before its bytes stream:
 * the tar entry name of each layer file and its diff ID. jib-core keeps the image in a private
 * field; when that is not there (another jib-core version) the answer is empty and the whole
 * image is sent, as before.
 */
final class TarballLayers {

  /** One layer file in the tar. */
  record LayerFile(String entryName, String diffId) {}

  private TarballLayers() {}

  static Optional<List<LayerFile>> of(ImageTarball tarball) {
    try {
      Field field = ImageTarball.class.getDeclaredField("image");
      field.setAccessible(true);
      Image image = (Image) field.get(tarball);
      List<LayerFile> layers = new ArrayList<>();
      for (Layer layer : image.getLayers()) {
        layers.add(new LayerFile(layer.getBlobDescriptor().getDigest().getHash() + ".tar.gz", layer.getDiffId().toString()));
      }
      return Optional.of(layers);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Layer files the daemon does not need: the longest prefix of layers the daemon already holds in
   * the same order (same chain IDs) as in {@code daemonLayers}, e.g. the previous build's base layers.
   */
  static List<String> alreadyInDaemon(List<LayerFile> layers, List<String> daemonLayers) {
    List<String> omit = new ArrayList<>();
    for (int i = 0; i < layers.size() && i < daemonLayers.size(); i++) {
      if (!layers.get(i).diffId().equals(daemonLayers.get(i))) {
        break;
      }
      omit.add(layers.get(i).entryName());
    }
    return omit;
  }
}
