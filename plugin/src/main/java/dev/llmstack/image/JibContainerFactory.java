package dev.llmstack.image;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.time.Instant;
import java.util.List;

/** Turns an {@link ImageSpec} into a jib-core container plan; Jib's defaults keep it reproducible. */
final class JibContainerFactory {

  /** Label carrying the input digest, checked against the daemon before building. */
  static final String INPUT_DIGEST_LABEL = "dev.llmstack.input-digest";

  private JibContainerFactory() {}

  /** @param inputs the layer files as listed (and checked) for the input digest */
  static JibContainerBuilder containerFor(ImageSpec spec, InputDigest.Inputs inputs, RegistryImage base) {
    JibContainerBuilder jib = Jib.from(base).setCreationTime(Instant.EPOCH);
    for (int i = 0; i < spec.layers().size(); i++) {
      List<List<LayerFiles.Entry>> chunks = LayerChunks.split(inputs.layers().get(i));
      for (int c = 0; c < chunks.size(); c++) {
        String part = chunks.size() == 1 ? "" : " (" + (c + 1) + "/" + chunks.size() + ")";
        jib.addFileEntriesLayer(layerFor(spec, spec.layers().get(i), chunks.get(c), part));
      }
    }
    if (!spec.entrypoint().isEmpty()) {
      jib.setEntrypoint(spec.entrypoint());
    }
    if (spec.cmd() != null) {
      jib.setProgramArguments(spec.cmd());
    }
    spec.environment().forEach(jib::addEnvironmentVariable);
    spec.ports().forEach(p -> jib.addExposedPort(parsePort(p)));
    spec.labels().forEach(jib::addLabel);
    jib.addLabel(INPUT_DIGEST_LABEL, inputs.digest());
    if (spec.user() != null) {
      jib.setUser(spec.user());
    }
    if (spec.workingDirectory() != null) {
      jib.setWorkingDirectory(AbsoluteUnixPath.get(spec.workingDirectory()));
    }
    return jib;
  }

  /** {@code 4000} or {@code 4000/tcp} or {@code 53/udp}; validated beforehand. */
  static Port parsePort(String port) {
    String[] parts = port.split("/", 2);
    int number = Integer.parseInt(parts[0].trim());
    return parts.length == 2 ? Port.parseProtocol(number, parts[1].trim()) : Port.tcp(number);
  }

  /**
   * The listed entries, not jib-core's own walk ({@code addEntryRecursive}): Jib then never sees a
   * FIFO or socket, nor a file the digest did not cover. The same entries as that walk would give
   * (the source directory itself first), and Jib sorts them by path in the layer.
   */
  private static FileEntriesLayer layerFor(ImageSpec spec, LayerSpec layer, List<LayerFiles.Entry> files, String part) {
    FilePermissions filePermissions = FilePermissions.fromOctalString(layer.filePermissions());
    FilePermissions dirPermissions = FilePermissions.fromOctalString(layer.directoryPermissions());
    FileEntriesLayer.Builder builder = FileEntriesLayer.builder().setName(spec.name() + " " + layer.target() + part);
    AbsoluteUnixPath target = AbsoluteUnixPath.get(layer.target());
    for (LayerFiles.Entry file : files) {
      AbsoluteUnixPath inImage = file.relative().isEmpty() ? target : target.resolve(file.relative());
      builder.addEntry(file.path(), inImage, file.directory() ? dirPermissions : filePermissions);
    }
    return builder.build();
  }
}
