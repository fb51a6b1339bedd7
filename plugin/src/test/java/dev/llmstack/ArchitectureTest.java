package dev.llmstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The layout a newcomer relies on: Maven in one package, no import loops between packages. */
class ArchitectureTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/llmstack");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.llmstack\\.(\\w+)\\.", Pattern.MULTILINE);

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }

  private static String packageOf(Path file) {
    return SOURCES.relativize(file).getName(0).toString();
  }

  @Test
  @DisplayName("only the maven package imports org.apache.maven")
  void mavenOnlyInItsPackage() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      if (!packageOf(file).equals("maven") && Files.readString(file).contains("import org.apache.maven")) {
        offenders.add(SOURCES.relativize(file).toString());
      }
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  @DisplayName("the packages' imports form no loop")
  void noImportLoops() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    for (Path file : sources()) {
      String from = packageOf(file);
      Set<String> targets = uses.computeIfAbsent(from, k -> new TreeSet<>());
      Matcher m = IMPORT.matcher(Files.readString(file));
      while (m.find()) {
        if (!m.group(1).equals(from)) {
          targets.add(m.group(1));
        }
      }
    }
    List<String> loops = new ArrayList<>();
    for (String start : uses.keySet()) {
      findLoop(start, start, uses, new ArrayList<>(List.of(start)), loops);
    }
    assertThat(loops).as("package import loops (%s)", uses).isEmpty();
  }

  private static void findLoop(String start, String at, Map<String, Set<String>> uses, List<String> path, List<String> loops) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        loops.add(String.join(" -> ", path) + " -> " + start);
      } else if (!path.contains(next) && next.compareTo(start) > 0) {
        path.add(next);
        findLoop(start, next, uses, path, loops);
        path.remove(path.size() - 1);
      }
    }
  }
}
