package dev.llmstack.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Globs relative to {@code source} of files and directories to leave out, e.g. {@code **}{@code /*.sock}
   * or {@code .cache}; an excluded directory is left out with everything in it.
   */
  List<String> excludes = new ArrayList<>();
}
