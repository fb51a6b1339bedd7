package dev.llmstack.image;

import dev.llmstack.docker.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /** The record in the file; a missing or unreadable file is an empty record (it only costs a rebuild). */
  public static BuildRecord read(Path file) {
    if (!Files.isRegularFile(file)) {
      return new BuildRecord(List.of());
    }
    try {
      Object json = Json.parse(Files.readString(file));
      if (json == null) {
        return new BuildRecord(List.of());
      }
      if (!(json instanceof Map<?, ?> record)) {
        return new BuildRecord(List.of());
      }
      Object images = record.get("images");
      if (images == null) {
        return new BuildRecord(List.of());
      }
      if (!(images instanceof List<?> list)) {
        return new BuildRecord(List.of());
      }
      List<BuiltImage> read = new ArrayList<>();
      for (Object image : list) {
        if (!(image instanceof Map<?, ?>)) {
          return new BuildRecord(List.of());
        }
        read.add(fromJson(image));
      }
      return new BuildRecord(read);
    } catch (IOException | RuntimeException e) {
      return new BuildRecord(List.of());
    }
  }

  private static BuiltImage fromJson(Object o) {
    return new BuiltImage(
        Json.string(o, "name"),
        Json.string(o, "reference"),
        Json.string(o, "stableReference"),
        Json.string(o, "imageId"),
        Json.string(o, "inputDigest"),
        Json.string(o, "destination"),
        orZero(Json.number(o, "sizeBytes")),
        orZero(Json.number(o, "sentBytes")),
        ((Map<?, ?>) o).get("seconds") instanceof Number n ? n.doubleValue() : 0,
        Boolean.TRUE.equals(((Map<?, ?>) o).get("changed")));
  }

  private static long orZero(Long n) {
    return n == null ? 0 : n;
  }

  private static Map<String, Object> toJson(BuiltImage b) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", b.name());
    o.put("reference", b.reference());
    o.put("stableReference", b.stableReference());
    o.put("imageId", b.imageId());
    o.put("inputDigest", b.inputDigest());
    o.put("destination", b.destination());
    o.put("sizeBytes", b.sizeBytes());
    o.put("sentBytes", b.sentBytes());
    o.put("seconds", b.seconds());
    o.put("changed", b.changed());
    return o;
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Json.writePretty(Map.of("images", images.stream().map(BuildRecord::toJson).toList())));
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
