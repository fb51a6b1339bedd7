package dev.llmstack.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code target/llmstack/images.json}: which reference each image was built as. Deploy reads it to
 * rewrite manifests; the next build reads it to know what tars/pushes are already done.
 */
public record BuildRecord(List<BuiltImage> images) {

  public BuildRecord {
    images = images == null ? List.of() : List.copyOf(images);
  }

  public static final String FILE_NAME = "images.json";
  // jackson-jr, not databind: a no-change build reads and writes this file, and databind's start-up
  // would be a tenth of a second of it.
  private static final JSON JSON_FILE = JSON.builder().enable(JSON.Feature.PRETTY_PRINT_OUTPUT).build();

  public static BuildRecord read(Path file) {
    if (!Files.isRegularFile(file)) {
      return new BuildRecord(List.of());
    }
    try {
      BuildRecord read = JSON_FILE.beanFrom(BuildRecord.class, file.toFile());
      return read == null ? new BuildRecord(List.of()) : read;
    } catch (IOException e) {
      // An unreadable record only costs a rebuild.
      return new BuildRecord(List.of());
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON_FILE.write(this, tmp.toFile());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  public Optional<BuiltImage> find(String name) {
    return images.stream().filter(i -> i.name().equals(name)).findFirst();
  }

  public Map<String, BuiltImage> byName() {
    return images.stream().collect(Collectors.toMap(BuiltImage::name, Function.identity()));
  }
}
