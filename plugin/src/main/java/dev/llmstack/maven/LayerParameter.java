package dev.llmstack.maven;

import java.io.File;

/** {@code <layer>}: files copied into an image. */
public class LayerParameter {

  /** File or directory to copy; relative to the project directory. */
  File source;

  /** Absolute path in the image (for a file: its full path). */
  String target;

  /** Octal permissions of files, default 644. */
  String filePermissions;

  /** Octal permissions of directories, default 755. */
  String directoryPermissions;
}
