package dev.llmstack.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU (cores) and memory (bytes) requests, as the scheduler counts them for a pod.
 *
 * <p>A container's request defaults to its limit when only the limit is set
 * (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits). A pod's
 * effective request is the larger of its app containers' sum and its init containers' highest, where a sidecar (an
 * init container with restartPolicy Always) counts with every container started after it, plus the pod's overhead
 * (https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers,
 * https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#resource-sharing-within-containers).
 */
public record PodRequests(BigDecimal cpu, BigDecimal memory) {

  public static final PodRequests NONE = new PodRequests(BigDecimal.ZERO, BigDecimal.ZERO);

  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);
  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);

  /** Scale-free, so that equal amounts are equal records ({@code 0.500} is {@code 0.5}). */
  public PodRequests {
    cpu = cpu.stripTrailingZeros();
    memory = memory.stripTrailingZeros();
  }

  /** The effective requests of a pod with this spec. */
  public static PodRequests of(PodSpec spec) {
    return effective(spec, PodRequests::ofContainer);
  }

  /**
   * The most a pod with this spec may use, by the same rule over its containers' limits; a resource without a limit
   * counts at its request (unbounded is no figure), as the READMEs' totals do.
   */
  public static PodRequests limitsOf(PodSpec spec) {
    return effective(spec, c -> c.getResources() == null
        ? NONE
        : new PodRequests(
            amount(c.getResources().getLimits(), c.getResources().getRequests(), "cpu"),
            amount(c.getResources().getLimits(), c.getResources().getRequests(), "memory")));
  }

  private static PodRequests effective(PodSpec spec, Function<Container, PodRequests> perContainer) {
    if (spec == null) {
      return NONE;
    }
    PodRequests sidecars = NONE;
    PodRequests highestInit = NONE;
    for (Container init : nonNull(spec.getInitContainers())) {
      PodRequests own = perContainer.apply(init);
      if ("Always".equals(init.getRestartPolicy())) {
        sidecars = sidecars.plus(own);
        highestInit = highestInit.max(sidecars); // a sidecar's own start counts like an init container's
      } else {
        highestInit = highestInit.max(own.plus(sidecars));
      }
    }
    PodRequests app = sidecars;
    for (Container container : nonNull(spec.getContainers())) {
      app = app.plus(perContainer.apply(container));
    }
    return app.max(highestInit).plus(of(spec.getOverhead()));
  }

  /** A container's requests; a resource with only a limit requests the limit. */
  public static PodRequests ofContainer(Container container) {
    ResourceRequirements resources = container.getResources();
    if (resources == null) {
      return NONE;
    }
    return new PodRequests(
        amount(resources.getRequests(), resources.getLimits(), "cpu"),
        amount(resources.getRequests(), resources.getLimits(), "memory"));
  }

  /** From a resource list ({@code cpu}, {@code memory}; others ignored). */
  public static PodRequests of(Map<String, Quantity> list) {
    return new PodRequests(amount(list, null, "cpu"), amount(list, null, "memory"));
  }

  /** The resource from the first list that has it. */
  private static BigDecimal amount(Map<String, Quantity> first, Map<String, Quantity> second, String resource) {
    Quantity q = first == null ? null : first.get(resource);
    if (q == null && second != null) {
      q = second.get(resource);
    }
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }

  public PodRequests plus(PodRequests other) {
    return new PodRequests(cpu.add(other.cpu), memory.add(other.memory));
  }

  public PodRequests minus(PodRequests other) {
    return new PodRequests(cpu.subtract(other.cpu), memory.subtract(other.memory));
  }

  public PodRequests times(int n) {
    return new PodRequests(cpu.multiply(BigDecimal.valueOf(n)), memory.multiply(BigDecimal.valueOf(n)));
  }

  public PodRequests max(PodRequests other) {
    return new PodRequests(cpu.max(other.cpu), memory.max(other.memory));
  }

  /** Whether both fit into {@code room}. */
  public boolean fitsIn(PodRequests room) {
    return cpu.compareTo(room.cpu) <= 0 && memory.compareTo(room.memory) <= 0;
  }

  /** {@code 1.45 CPUs and 3 GiB}, as the READMEs write them. */
  public String describe() {
    return cpus(cpu) + " and " + bytes(memory);
  }

  /** Cores without trailing zeros: {@code 0.75 CPUs}, {@code 2 CPUs}, {@code 1 CPU}. */
  public static String cpus(BigDecimal cores) {
    BigDecimal shown = cores.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    return shown.toPlainString() + (shown.compareTo(BigDecimal.ONE) == 0 ? " CPU" : " CPUs");
  }

  /** Whole MiB below 1 GiB ({@code 170 MiB}), else GiB with up to two decimals ({@code 3 GiB}, {@code 3.17 GiB}). */
  public static String bytes(BigDecimal bytes) {
    if (bytes.abs().compareTo(GIB) < 0) {
      return bytes.divide(MIB, 0, RoundingMode.HALF_UP).toPlainString() + " MiB";
    }
    return bytes.divide(GIB, 2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " GiB";
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "PodRequests[cpu=%s, memory=%s]", cpu.toPlainString(), memory.toPlainString());
  }
}
