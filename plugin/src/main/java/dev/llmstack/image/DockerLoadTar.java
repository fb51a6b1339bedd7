package dev.llmstack.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.docker.json.DockerManifestEntryTemplate;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.cloud.tools.jib.image.Layer;
import com.google.cloud.tools.jib.image.json.ImageToJsonTranslator;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.llmstack.docker.DaemonImage;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.DockerLoadTar.LayerFile;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The docker-load tar of the image inside a jib-core {@link ImageTarball}, written here instead of
 * by jib-core: the same entries (layer files, {@code config.json}, {@code manifest.json}), plus the
 * short-image-ID tag, without the layer files the daemon already holds, and with each cached layer
 * file copied as it is. jib-core reads those files through an 8 kB buffer and a SHA-256 digest it
 * then drops (the daemon checks every layer against the config's diff IDs anyway): for a cold
 * build of the benchmark's five images, ~950 MB digested for nothing.
 *
 * <p>jib-core keeps the image in private fields, read here: this needs the jib-core version the
 * plugin depends on (a unit test fails when another lacks them).
 */
final class DockerLoadTar {

  /** One layer file in the tar. */
  record LayerFile(String entryName, String diffId) {}

  private static final int COPY_BUFFER = 256 * 1024;

  private final Image image;
  private final List<String> repoTags;

  private DockerLoadTar(Image image, List<String> repoTags) {
    this.image = image;
    this.repoTags = repoTags;
  }

  /** @throws ConfigurationException when the tarball is not what the jib-core this plugin depends on makes */
  static DockerLoadTar of(ImageTarball tarball) {
    try {
      Image image = (Image) read(ImageTarball.class, "image", tarball);
      if (image.getImageFormat() == OciManifestTemplate.class) {
        throw new IllegalStateException("an OCI image");
      }
      ImageReference reference = (ImageReference) read(ImageTarball.class, "imageReference", tarball);
      List<String> tags = new ArrayList<>();
      for (Object tag : (Iterable<?>) read(ImageTarball.class, "allTargetImageTags", tarball)) {
        tags.add(reference.withQualifier((String) tag).toStringWithQualifier());
      }
      return new DockerLoadTar(image, tags);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ConfigurationException(
          "jib-core handed over an image this plugin cannot read (" + e + "): jib-core is another"
              + " version than the one llmstack was built with.",
          "Remove the jib-core override from the plugin's <dependencies>.");
    }
  }

  private static Object read(Class<?> type, String field, Object from) throws ReflectiveOperationException {
    Field f = type.getDeclaredField(field);
    f.setAccessible(true);
    return f.get(from);
  }

  List<LayerFile> layers() {
    List<LayerFile> layers = new ArrayList<>();
    for (Layer layer : image.getLayers()) {
      layers.add(new LayerFile(entryName(layer), layer.getDiffId().toString()));
    }
    return layers;
  }

  private static String entryName(Layer layer) {
    return layer.getBlobDescriptor().getDigest().getHash() + ".tar.gz";
  }

  /**
   * Layer files the daemon does not need: the longest prefix of layers the daemon already holds in
   * the same order (same chain IDs) as in {@code daemonLayers}, e.g. the previous build's base layers.
   * dockerd looks a layer up by its chain ID before it opens the file, so such a file need not
   * cross the wire (manifest.json still lists it).
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

  /**
   * Writes the tar, tagged also {@code <idRepository>:<short image ID>}, leaving out the named
   * layer files.
   *
   * @return the image ID ({@code sha256:...}): the digest of the config
   */
  String writeTo(OutputStream out, String idRepository, Set<String> omit) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    DockerManifestEntryTemplate manifest = new DockerManifestEntryTemplate();
    for (Layer layer : image.getLayers()) {
      String name = entryName(layer);
      manifest.addLayerFile(name);
      if (!omit.contains(name)) {
        tar.putArchiveEntry(entry(name, layer.getBlobDescriptor().getSize()));
        copy(layer.getBlob(), layer.getBlobDescriptor().getSize(), tar);
        tar.closeArchiveEntry();
      }
    }
    byte[] config = JsonTemplateMapper.toByteArray(new ImageToJsonTranslator(image).getContainerConfiguration());
    write(tar, manifest.getConfig(), config);
    String id = DaemonImage.idOf(config);
    repoTags.forEach(manifest::addRepoTag);
    manifest.addRepoTag(idRepository + ":" + DaemonImage.shortId(id));
    write(tar, "manifest.json", JsonTemplateMapper.toByteArray(List.of(manifest)));
    tar.finish();
    out.flush();
    return id;
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setModTime(0);
    return entry;
  }

  private static void write(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    tar.putArchiveEntry(entry(name, content.length));
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** A cached layer file as it is; any other blob (none today) through jib-core's own writing. */
  private static void copy(Blob blob, long size, OutputStream out) throws IOException {
    Optional<Path> file = fileOf(blob);
    if (file.isEmpty()) {
      blob.writeTo(out);
      return;
    }
    try (FileChannel in = open(file.get(), size)) {
      ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
      while (in.read(buffer) >= 0) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    }
  }

  /** The layer file, if it is there with the size the cache recorded (else the tar would be broken). */
  private static FileChannel open(Path file, long size) {
    String problem;
    try {
      FileChannel in = FileChannel.open(file);
      if (in.size() == size) {
        return in;
      }
      problem = "it is " + in.size() + " bytes, the cache recorded " + size;
      in.close();
    } catch (IOException e) {
      problem = e.toString();
    }
    // <cache>/layers/<digest>/<diff ID>: Jib refills a whole cache, not a lone layer directory
    Path cache = file.getParent().getParent().getParent();
    throw new ConfigurationException(
        "Jib's cached layer " + file + " cannot be used (" + problem + ").",
        "Delete Jib's cache " + cache + " and build again; Jib fills it again.");
  }

  static Optional<Path> fileOf(Blob blob) {
    if (!blob.getClass().getName().equals("com.google.cloud.tools.jib.blob.FileBlob")) {
      return Optional.empty();
    }
    try {
      return Optional.of((Path) read(blob.getClass(), "file", blob));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
