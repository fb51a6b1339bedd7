package dev.llmstack.image;

import dev.llmstack.digest.FileHashCache;
import dev.llmstack.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of one layer source, listed and classified before anything is read, so that no file can
 * hang or confuse the build. The one list both the input digest and Jib's layer are made from.
 *
 * <p>Each kind of file has one outcome:
 *
 * <ul>
 *   <li>regular files and directories are layered;
 *   <li>symbolic links are followed, as Jib's own plugins do (their {@code extraDirectories} go
 *       through jib-core's {@code FileEntriesLayer}, whose tar entries take the target's content): a
 *       link to a file is layered as that file, a link to a directory as its contents. A dangling
 *       link, or a link back into its own parent directories, is an error naming it;
 *   <li>FIFOs, sockets and device files are an error naming the file, decided from its type alone.
 *       Jib's plugins have no rule for them: jib-core opens every entry to copy its bytes, so a FIFO
 *       blocks the build forever and a socket fails with ENXIO ("No such device or address");
 *       {@code docker build} copies FIFOs and devices as such and skips sockets, which a jib-core
 *       layer cannot express;
 *   <li>a file or directory the build may not read is an error naming it and its permissions.
 * </ul>
 *
 * Paths matching one of the layer's {@code <excludes>} (globs relative to the source, as Jib's
 * {@code extraDirectories} excludes) are left out; an excluded directory with everything in it,
 * unread.
 */
public final class LayerFiles {

  /**
   * A file or directory to layer: its path on disk, its path below the source ("" for the source
   * itself), and its metadata (of the link's target, for a followed link).
   */
  public record Entry(Path path, String relative, boolean directory, FileHashCache.Stamp stamp) {}

  private final LayerSpec layer;
  private final String image;
  private final List<PathMatcher> excludes;

  private LayerFiles(LayerSpec layer, String image) {
    this.layer = layer;
    this.image = image;
    this.excludes = layer.excludes().stream().map(LayerFiles::matcher).toList();
  }

  /** A glob of {@code <excludes>}; checked when the configuration is read. */
  static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }

  /**
   * The entries of a layer source, depth first, each directory's entries sorted by name (the
   * source itself first).
   *
   * @param image the image's name, for errors
   */
  public static List<Entry> scan(LayerSpec layer, String image) {
    LayerFiles scan = new LayerFiles(layer, image);
    List<Entry> entries = new ArrayList<>();
    scan.visit(layer.source(), "", new HashSet<>(), entries);
    return entries;
  }

  private void visit(Path path, String relative, Set<Object> openDirectories, List<Entry> entries) {
    PosixFileAttributes own = attributes(path, LinkOption.NOFOLLOW_LINKS);
    PosixFileAttributes attrs = own.isSymbolicLink() ? linkTarget(path) : own;
    if (attrs.isOther()) {
      throw special(path, own.isSymbolicLink());
    }
    FileHashCache.Stamp stamp = stamp(attrs);
    if (!attrs.isDirectory()) {
      if (!Files.isReadable(path)) {
        throw unreadable(path, "file", attrs);
      }
      entries.add(new Entry(path, relative, false, stamp));
      return;
    }
    Object key = attrs.fileKey();
    if (key != null && !openDirectories.add(key)) {
      throw new ConfigurationException(
          where() + " has a symbolic link loop at " + path + ": it leads back to a directory that contains it.",
          "Remove the link, or exclude it " + excludeHint(relative) + ".");
    }
    entries.add(new Entry(path, relative, true, stamp));
    for (Path child : children(path, attrs)) {
      String childRelative = relative.isEmpty() ? child.getFileName().toString() : relative + "/" + child.getFileName();
      if (!excluded(childRelative)) {
        visit(child, childRelative, openDirectories, entries);
      }
    }
    if (key != null) {
      openDirectories.remove(key);
    }
  }

  private boolean excluded(String relative) {
    Path asPath = Path.of(relative);
    for (PathMatcher exclude : excludes) {
      if (exclude.matches(asPath)) {
        return true;
      }
    }
    return false;
  }

  private List<Path> children(Path directory, PosixFileAttributes attrs) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(children::add);
    } catch (AccessDeniedException e) {
      throw unreadable(directory, "directory", attrs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory, e);
    }
    // Path order: siblings share their parent, so this orders them by name; it compares bytes without
    // allocating (comparing getFileName().toString() made ~8 MB of strings for 20,000 files)
    java.util.Collections.sort(children);
    return children;
  }

  private PosixFileAttributes linkTarget(Path link) {
    try {
      return Files.readAttributes(link, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(
          where() + " has a dangling symbolic link " + link + " -> " + readLink(link)
              + " (links are followed, as Jib does, and its target does not exist).",
          "Create the target, remove the link, or exclude it " + excludeHint(relative(link)) + ".");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + link, e);
    }
  }

  private static PosixFileAttributes attributes(Path path, LinkOption... options) {
    try {
      return Files.readAttributes(path, PosixFileAttributes.class, options);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  private static FileHashCache.Stamp stamp(PosixFileAttributes attrs) {
    int mode = 0;
    for (PosixFilePermission p : attrs.permissions()) {
      mode |= 1 << (8 - p.ordinal()); // OWNER_READ is the highest of the nine bits
    }
    long nanos = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    return new FileHashCache.Stamp(
        attrs.isDirectory() ? 0 : attrs.size(), nanos, java.util.Objects.hashCode(attrs.fileKey()), mode);
  }

  private ConfigurationException special(Path path, boolean viaLink) {
    String kind = SpecialFiles.describe(path);
    return new ConfigurationException(
        where() + " contains " + kind + " at " + path + (viaLink ? " (reached through a symbolic link)" : "")
            + ", which cannot be copied into an image: only files, directories and links to them can.",
        "Remove it, or exclude it " + excludeHint(relative(path)) + ".");
  }

  private ConfigurationException unreadable(Path path, String kind, BasicFileAttributes attrs) {
    String permissions = attrs instanceof PosixFileAttributes posix
        ? " (" + java.nio.file.attribute.PosixFilePermissions.toString(posix.permissions()) + ", owner "
            + posix.owner().getName() + ")"
        : "";
    return new ConfigurationException(
        where() + ": the " + kind + " " + path + " cannot be read by this build's user" + permissions + ".",
        "Give the build's user read permission (chmod a+r" + (kind.equals("directory") ? "x" : "") + "), or exclude it "
            + excludeHint(relative(path)) + ".");
  }

  private String where() {
    return "Image '" + image + "': layer source " + layer.source();
  }

  private String relative(Path path) {
    return layer.source().relativize(path).toString().replace('\\', '/');
  }

  private static String excludeHint(String relative) {
    return "with <layer><excludes><exclude>" + (relative.isEmpty() ? "…" : relative) + "</exclude></excludes>";
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "?";
    }
  }
}
