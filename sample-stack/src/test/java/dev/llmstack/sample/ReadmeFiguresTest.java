package dev.llmstack.sample;

import static dev.llmstack.sample.ManifestsTest.k8sDir;
import static dev.llmstack.sample.ManifestsTest.render;
import static dev.llmstack.sample.ManifestsTest.replicas;
import static dev.llmstack.sample.ManifestsTest.template;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmstack.sample.ManifestsTest.Overlay;
import dev.llmstack.sample.ManifestsTest.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The figures the READMEs give (resource totals, per-service requests and limits, ports and URLs, minikube sizes),
 * recomputed from the overlays as {@code kubectl kustomize} renders them: a manifest change that makes a README wrong
 * fails here, naming the README, the row and both values.
 */
class ReadmeFiguresTest {

  private static final BigDecimal GIB = BigDecimal.valueOf(1024L * 1024 * 1024);

  // ------------------------------------------------------------------ sample-stack/README.md

  @Test
  @DisplayName("sample-stack/README.md: pods, CPU and memory requests and limits of each overlay")
  void resourceTotals() throws IOException {
    List<Map<String, String>> rows = table(readme(), "overlay", "pods", "CPU requests");
    assertEquals(List.of("dev", "cluster"), rows.stream().map(r -> r.get("overlay")).toList());
    for (Map<String, String> row : rows) {
      Totals t = totals(render(Overlay.valueOf(row.get("overlay").toUpperCase())));
      String where = "sample-stack/README.md, overlay " + row.get("overlay") + ": ";
      assertAll(
          () -> assertEquals(String.valueOf(t.pods), row.get("pods"), where + "pods"),
          () -> assertEquals(cores(t.cpuRequests), row.get("CPU requests"), where + "CPU requests"),
          () -> assertEquals(gib(t.memoryRequests), row.get("memory requests"), where + "memory requests"),
          () -> assertEquals(cores(t.cpuLimits), row.get("CPU limits"), where + "CPU limits"),
          () -> assertEquals(gib(t.memoryLimits), row.get("memory limits"), where + "memory limits"));
    }
  }

  @Test
  @DisplayName("every 'minikube start --cpus N --memory M' in the READMEs fits the dev overlay at its limits")
  void minikubeSizesFitTheDevOverlay() throws IOException {
    Totals dev = totals(render(Overlay.DEV));
    Pattern start = Pattern.compile("minikube start[^`\n]*");
    Pattern cpus = Pattern.compile("--cpus[= ](\\d+)");
    Pattern memory = Pattern.compile("--memory[= ](\\d+)([gGmM]?)");
    int found = 0;
    for (Path file : List.of(Path.of("README.md"), k8sDir().resolve("README.md"))) {
      Matcher m = start.matcher(Files.readString(file));
      while (m.find()) {
        Matcher c = cpus.matcher(m.group());
        Matcher mem = memory.matcher(m.group());
        if (!c.find() || !mem.find()) {
          continue; // e.g. "minikube start -p <profile>" without sizes
        }
        found++;
        BigDecimal bytes = BigDecimal.valueOf(Long.parseLong(mem.group(1)))
            .multiply(BigDecimal.valueOf(mem.group(2).equalsIgnoreCase("g") ? 1024L * 1024 * 1024 : 1024L * 1024));
        String what = file + ": " + m.group();
        assertTrue(new BigDecimal(c.group(1)).compareTo(dev.cpuLimits) >= 0,
            what + " gives fewer CPUs than the dev overlay's limits (" + cores(dev.cpuLimits) + ")");
        assertTrue(bytes.compareTo(dev.memoryLimits) >= 0,
            what + " gives less memory than the dev overlay's limits (" + gib(dev.memoryLimits) + ")");
      }
    }
    assertTrue(found >= 3, "minikube start commands with sizes found: " + found);
  }

  @Test
  @DisplayName("sample-stack/README.md: each service's seed port-forward, URL after forward and in-cluster name")
  void serviceUrls() throws IOException {
    Rendered dev = render(Overlay.DEV);
    List<Map<String, String>> rows = table(readme(), "service", "seed (`skaffold dev --port-forward`)");
    assertEquals(services(dev).keySet(), rows.stream().map(r -> r.get("service")).collect(Collectors.toSet()),
        "sample-stack/README.md lists the dev overlay's Services");
    for (Map<String, String> row : rows) {
      String name = row.get("service");
      int port = services(dev).get(name);
      String scheme = port == 5432 ? "postgresql" : port == 6379 ? "redis" : "http";
      String where = "sample-stack/README.md, service " + name + ": ";
      assertAll(
          () -> assertEquals("localhost:" + port + " → " + name + ":" + port, row.get("seed (`skaffold dev --port-forward`)"), where + "seed"),
          () -> assertEquals(scheme + "://127.0.0.1:" + port, row.get("here: URL (property `llmstack.<name>.url`)"), where + "URL"),
          () -> assertEquals("dev-" + name + ":" + port, row.get("in the cluster (dev overlay)"), where + "in-cluster name"));
    }
  }

  // ------------------------------------------------------------------ k8s/README.md

  @Test
  @DisplayName("k8s/README.md: each service's ports and requests → limits, as the dev overlay renders them")
  void k8sServiceTable() throws IOException {
    Rendered dev = render(Overlay.DEV);
    List<Map<String, String>> rows = table(Files.readString(k8sDir().resolve("README.md")), "service", "kind", "port(s)");
    assertEquals(services(dev).keySet(), rows.stream().map(r -> r.get("service").replace("`", "")).collect(Collectors.toSet()));
    for (Map<String, String> row : rows) {
      String name = row.get("service").replace("`", "");
      Service service = (Service) dev.get("Service", "dev-" + name);
      Container c = template(workload(dev, "dev-" + name)).getSpec().getContainers().get(0);
      List<String> ports = service.getSpec().getPorts().stream().map(p -> String.valueOf(p.getPort())).toList();
      String resources = c.getResources() == null || c.getResources().getRequests() == null
          ? "none" : pair(c.getResources().getRequests()) + " → " + pair(c.getResources().getLimits());
      String written = row.get("requests → limits (CPU/memory)");
      String where = "k8s/README.md, service " + name + ": ";
      assertAll(
          () -> assertEquals(ports, numbers(row.get("port(s)")), where + "ports"),
          () -> assertTrue(written.equals(resources) || resources.equals("none") && written.startsWith("none"),
              where + "requests → limits: README says '" + written + "', the overlay '" + resources + "'"));
    }
  }

  // ------------------------------------------------------------------ figures from the rendered overlay

  record Totals(int pods, BigDecimal cpuRequests, BigDecimal memoryRequests, BigDecimal cpuLimits, BigDecimal memoryLimits) {}

  /**
   * What the scheduler reserves and the most the pods may use: per pod, the larger of its containers' sum and its
   * largest init container (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers),
   * times the replicas.
   */
  static Totals totals(Rendered r) {
    int pods = 0;
    BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    List<Function<ResourceRequirements, Map<String, Quantity>>> sides = List.of(
        ResourceRequirements::getRequests, ResourceRequirements::getRequests, ResourceRequirements::getLimits, ResourceRequirements::getLimits);
    List<String> resources = List.of("cpu", "memory", "cpu", "memory");
    for (HasMetadata w : r.workloads()) {
      int replicas = replicas(w);
      pods += replicas;
      PodSpec spec = template(w).getSpec();
      for (int i = 0; i < 4; i++) {
        Function<ResourceRequirements, Map<String, Quantity>> side = sides.get(i);
        String resource = resources.get(i);
        BigDecimal mains = sum(spec.getContainers(), side, resource);
        BigDecimal inits = Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream()
            .map(c -> amount(c, side, resource)).reduce(BigDecimal.ZERO, BigDecimal::max);
        sums[i] = sums[i].add(mains.max(inits).multiply(BigDecimal.valueOf(replicas)));
      }
    }
    return new Totals(pods, sums[0], sums[1], sums[2], sums[3]);
  }

  private static BigDecimal sum(List<Container> containers, Function<ResourceRequirements, Map<String, Quantity>> side, String resource) {
    return containers.stream().map(c -> amount(c, side, resource)).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static BigDecimal amount(Container c, Function<ResourceRequirements, Map<String, Quantity>> side, String resource) {
    return Optional.ofNullable(c.getResources()).map(side).map(m -> m.get(resource))
        .map(Quantity::getAmountInBytes).orElse(BigDecimal.ZERO);
  }

  /** Cores as the README writes them: 1.45, 3.5, 4. */
  static String cores(BigDecimal cpu) {
    return cpu.stripTrailingZeros().toPlainString();
  }

  /** Memory as the README writes it: 3 GiB, 3.5 GiB. */
  static String gib(BigDecimal bytes) {
    return bytes.divide(GIB, 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " GiB";
  }

  private static String pair(Map<String, Quantity> q) {
    return q.get("cpu") + "/" + q.get("memory");
  }

  private static HasMetadata workload(Rendered r, String name) {
    return r.workloads().stream().filter(w -> w.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + name));
  }

  /** The dev overlay's Services by logical name (without the prefix), with their first port. */
  private static Map<String, Integer> services(Rendered dev) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name : dev.names("Service")) {
      ports.put(name.substring("dev-".length()), ((Service) dev.get("Service", name)).getSpec().getPorts().get(0).getPort());
    }
    return ports;
  }

  private static List<String> numbers(String cell) {
    List<String> numbers = new ArrayList<>();
    Matcher m = Pattern.compile("\\b\\d{2,5}\\b").matcher(cell);
    while (m.find()) {
      numbers.add(m.group());
    }
    return numbers;
  }

  // ------------------------------------------------------------------ Markdown tables

  private static String readme() throws IOException {
    return Files.readString(Path.of("README.md"));
  }

  /** The rows of the first table whose header starts with these cells, as header → cell. */
  static List<Map<String, String>> table(String markdown, String... headerStart) {
    List<String> lines = markdown.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      List<String> header = cells(lines.get(i));
      if (header.size() >= headerStart.length && header.subList(0, headerStart.length).equals(List.of(headerStart))) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
          List<String> cells = cells(lines.get(j));
          Map<String, String> row = new LinkedHashMap<>();
          for (int k = 0; k < header.size(); k++) {
            row.put(header.get(k), k < cells.size() ? cells.get(k) : "");
          }
          rows.add(row);
        }
        assertFalse(rows.isEmpty(), "table " + List.of(headerStart) + " has no rows");
        return rows;
      }
    }
    throw new AssertionError("no table with header " + List.of(headerStart));
  }

  private static List<String> cells(String line) {
    if (!line.startsWith("|")) {
      return List.of();
    }
    List<String> cells = new ArrayList<>();
    for (String cell : line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length()).split("\\|")) {
      cells.add(cell.trim());
    }
    return cells;
  }
}
