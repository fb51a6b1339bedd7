package dev.llmstack.image;

import java.nio.file.Path;

/**
 * Files copied into an image: a file or directory on disk and where it goes in the image.
 *
 * @param source file or directory (a directory's contents are copied recursively)
 * @param target absolute path in the image; for a file, the file's full path
 * @param filePermissions octal, e.g. {@code 644}
 * @param directoryPermissions octal, e.g. {@code 755}
 */
public record LayerSpec(Path source, String target, String filePermissions, String directoryPermissions) {

  public static final String DEFAULT_FILE_PERMISSIONS = "644";
  public static final String DEFAULT_DIRECTORY_PERMISSIONS = "755";
}
