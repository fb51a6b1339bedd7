package dev.llmstack.image;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.FilePermissionsProvider;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;

/** Turns an {@link ImageSpec} into a jib-core container plan; Jib's defaults keep it reproducible. */
final class JibContainerFactory {

  /** Label carrying the input digest, checked against the daemon before building. */
  static final String INPUT_DIGEST_LABEL = "dev.llmstack.input-digest";

  private JibContainerFactory() {}

  static JibContainerBuilder containerFor(ImageSpec spec, String inputDigest, RegistryImage base) {
    JibContainerBuilder jib = Jib.from(base).setCreationTime(Instant.EPOCH);
    for (LayerSpec layer : spec.layers()) {
      jib.addFileEntriesLayer(layerFor(spec, layer));
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
    jib.addLabel(INPUT_DIGEST_LABEL, inputDigest);
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

  private static FileEntriesLayer layerFor(ImageSpec spec, LayerSpec layer) {
    FilePermissions files = FilePermissions.fromOctalString(layer.filePermissions());
    FilePermissions dirs = FilePermissions.fromOctalString(layer.directoryPermissions());
    FileEntriesLayer.Builder builder =
        FileEntriesLayer.builder().setName(spec.name() + " " + layer.target());
    AbsoluteUnixPath target = AbsoluteUnixPath.get(layer.target());
    try {
      if (Files.isDirectory(layer.source())) {
        FilePermissionsProvider permissions =
            (source, inImage) -> Files.isDirectory(source) ? dirs : files;
        builder.addEntryRecursive(layer.source(), target, permissions);
      } else {
        builder.addEntry(layer.source(), target, files);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read layer source " + layer.source(), e);
    }
    return builder.build();
  }
}
