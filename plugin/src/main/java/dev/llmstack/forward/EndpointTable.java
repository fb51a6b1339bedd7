package dev.llmstack.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The endpoints as build properties, as a file and as a table for the log. */
public final class EndpointTable {

  private EndpointTable() {}

  /** {@code llmstack.<service>.host/.port/.url} for each service's first port, plus named ports. */
  public static Map<String, String> properties(List<Endpoint> endpoints) {
    Map<String, String> properties = new TreeMap<>();
    Map<String, Endpoint> first = new LinkedHashMap<>();
    for (Endpoint e : endpoints) {
      first.putIfAbsent(e.service(), e);
      if (e.portName() != null && !e.portName().isBlank()) {
        String prefix = "llmstack." + e.service() + "." + e.portName();
        properties.put(prefix + ".port", Integer.toString(e.localPort()));
        properties.put(prefix + ".url", e.url());
      }
    }
    first.values().forEach(e -> {
      String prefix = "llmstack." + e.service();
      properties.put(prefix + ".host", e.host());
      properties.put(prefix + ".port", Integer.toString(e.localPort()));
      properties.put(prefix + ".url", e.url());
    });
    return properties;
  }

  public static void write(Path file, Map<String, String> properties) {
    StringBuilder text = new StringBuilder("# Endpoints of the stack forwarded by llmstack:forward\n");
    properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  public static List<String> lines(List<Endpoint> endpoints) {
    List<String> lines = new ArrayList<>();
    int width = endpoints.stream().mapToInt(e -> e.service().length()).max().orElse(7);
    lines.add(String.format(Locale.ROOT, "%-" + width + "s  %-28s  %s", "SERVICE", "URL", "FORWARDS TO"));
    for (Endpoint e : endpoints) {
      lines.add(String.format(Locale.ROOT, "%-" + width + "s  %-28s  %s", e.service(), e.url(), "service/" + e.serviceName() + ":" + e.servicePort()));
    }
    return lines;
  }
}
