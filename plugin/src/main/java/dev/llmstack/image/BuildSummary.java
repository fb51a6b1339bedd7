package dev.llmstack.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table printed at the end of a build. */
public final class BuildSummary {

  private BuildSummary() {}

  public static List<String> lines(List<BuiltImage> images) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"IMAGE", "REFERENCE", "SIZE", "SENT", "TIME", "CHANGED"});
    for (BuiltImage i : images) {
      rows.add(
          new String[] {
            i.name(),
            i.reference(),
            size(i.sizeBytes()),
            size(i.sentBytes()),
            String.format(Locale.ROOT, "%.1f s", i.seconds()),
            i.changed() ? "yes" : "no"
          });
    }
    int[] widths = new int[6];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(String.format(Locale.ROOT, "%-" + widths[c] + "s", row[c]));
        if (c < row.length - 1) {
          line.append("  ");
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  static String size(long bytes) {
    if (bytes < 0) {
      return "-";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
