package dev.llmstack.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Names a file that is neither a regular file, a directory nor a link, from its type bits alone. */
final class SpecialFiles {

  // st_mode's file type bits (sys/stat.h, POSIX)
  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFSOCK = 0140000;

  private SpecialFiles() {}

  /** "a FIFO (named pipe)", "a unix socket", … ; never opens the file. */
  static String describe(Path path) {
    try {
      // the "unix" attribute view: Linux and macOS JDKs; lstat's st_mode of the link's target here
      int mode = (Integer) Files.getAttribute(path, "unix:mode");
      return switch (mode & S_IFMT) {
        case S_IFIFO -> "a FIFO (named pipe)";
        case S_IFSOCK -> "a unix socket";
        case S_IFCHR -> "a character device";
        case S_IFBLK -> "a block device";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return "a special file (FIFO, socket or device)";
    }
  }

}
