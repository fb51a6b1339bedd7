package dev.llmstack.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Files copied into an image: a file or directory on disk and where it goes in the image.
 *
 * @param source file or directory (a directory's contents are copied recursively)
 * @param target absolute path in the image; for a file, the file's full path
 * @param filePermissions octal, e.g. {@code 644}
 * @param directoryPermissions octal, e.g. {@code 755}
 * @param excludes globs relative to the source ({@code **}{@code /*.sock}, {@code .cache}) of files
 *     and directories left out; an excluded directory is left out with everything in it
 */
public record LayerSpec(
    Path source, String target, String filePermissions, String directoryPermissions, List<String> excludes) {

  public static final String DEFAULT_FILE_PERMISSIONS = "644";
  public static final String DEFAULT_DIRECTORY_PERMISSIONS = "755";

  public LayerSpec {
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
  }

  public LayerSpec(Path source, String target, String filePermissions, String directoryPermissions) {
    this(source, target, filePermissions, directoryPermissions, List.of());
  }
}
