package dev.llmstack.bench;

import dev.llmstack.rollout.RolloutTracker;
import dev.llmstack.kuberig.KubeRig;
import dev.llmstack.log.BuildLog;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Readiness-detection latency: the time from the kube rig's kubelet simulator writing the final ready status of
 * the last workload ({@code KubeletSimulator.markedReadyAt}) to {@link RolloutTracker#await} returning.
 *
 * <p>Per run: a fresh namespace with the benchmark stack's five workloads (four Deployments, one StatefulSet), whose
 * pods the simulator makes ready {@code --ready-after} seconds after they start (so that the tracker's watches are
 * open before anything is ready, as in a real deploy); then {@code await}, timed against the last
 * {@code markedReadyAt}. Both instants come from the same JVM's clock. Warm-up runs are printed but not counted.
 *
 * <pre>java -cp target/classes:$(cat target/classpath.txt) dev.llmstack.bench.ReadinessBench [--runs 20] [--warmup 2]
 *     [--ready-after 1] [--out readiness.csv]</pre>
 */
public final class ReadinessBench {

  private static final String[] DEPLOYMENTS = {"react-client", "litellm", "r2r", "openwebui"};
  private static final String STATEFUL_SET = "postgres";

  private ReadinessBench() {
  }

  public static void main(String[] args) throws Exception {
    int runs = 20;
    int warmup = 2;
    int readyAfter = 1;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--ready-after" -> readyAfter = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<Double> latencies = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add("run,counted,last_workload,last_marked_ready_at,await_returned_at,latency_ms");
    try (KubeRig rig = KubeRig.start()) {
      KubernetesClient client = rig.client();
      for (int run = 1; run <= warmup + runs; run++) {
        String ns = "bench-ready-" + run;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        List<HasMetadata> applied = new ArrayList<>();
        for (String name : DEPLOYMENTS) {
          applied.add(client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
              .withNewMetadata().withName("dev-" + name).withNamespace(ns).endMetadata()
              .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
              .withTemplate(template(name, readyAfter)).endSpec().build()).create());
        }
        applied.add(client.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder()
            .withNewMetadata().withName("dev-" + STATEFUL_SET).withNamespace(ns).endMetadata()
            .withNewSpec().withReplicas(1).withServiceName("dev-" + STATEFUL_SET)
            .withNewSelector().withMatchLabels(Map.of("app", STATEFUL_SET)).endSelector()
            .withTemplate(template(STATEFUL_SET, readyAfter)).endSpec().build()).create());

        new RolloutTracker(client, Duration.ofSeconds(120), BuildLog.silent()).await(RolloutTracker.waitedFor(applied, BuildLog.silent()));
        Instant returned = Instant.now();

        Instant last = Instant.MIN;
        String lastName = "?";
        for (HasMetadata w : applied) {
          String name = w.getMetadata().getName();
          Instant at = rig.kubelet().markedReadyAt(ns, name)
              .orElseThrow(() -> new IllegalStateException("no markedReadyAt for " + ns + "/" + name));
          if (at.isAfter(last)) {
            last = at;
            lastName = name;
          }
        }
        double ms = Duration.between(last, returned).toNanos() / 1e6;
        boolean counted = run > warmup;
        if (counted) {
          latencies.add(ms);
        }
        lines.add(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%.3f", run, counted, lastName, last, returned, ms));
        System.out.printf(Locale.ROOT, "run %2d%s: %8.3f ms (last ready: %s)%n", run, counted ? "" : " (warm-up)", ms, lastName);
        client.apps().deployments().inNamespace(ns).delete();
        client.apps().statefulSets().inNamespace(ns).delete();
      }
    }
    List<Double> sorted = latencies.stream().sorted().toList();
    String summary = String.format(Locale.ROOT, "readiness latency over %d runs: p50 %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms",
        sorted.size(), percentile(sorted, 50), percentile(sorted, 95), sorted.get(0), sorted.get(sorted.size() - 1));
    System.out.println(summary);
    if (out != null) {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
        lines.forEach(w::println);
      }
    }
    System.exit(0); // the rig's informer threads
  }

  private static PodTemplateSpec template(String app, int readyAfter) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Map.of("app", app))
        .withAnnotations(Map.of("rig.llmstack.dev/ready-after-seconds", Integer.toString(readyAfter))).endMetadata()
        .withNewSpec().addNewContainer().withName(app).withImage("bench-llmstack/" + app + ":dev")
        .withImagePullPolicy("Never").endContainer().endSpec()
        .build();
  }

  /** Nearest-rank percentile of a sorted list. */
  static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
