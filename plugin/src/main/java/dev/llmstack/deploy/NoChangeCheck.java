package dev.llmstack.deploy;

import dev.llmstack.apply.ApplySet;
import dev.llmstack.apply.StackMembers;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.kube.Kinds;
import dev.llmstack.kube.KubeContext;
import dev.llmstack.log.BuildLog;
import dev.llmstack.rollout.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Deploy's shortcut when nothing changed: reads the stack's ApplySet parent and lists its members'
 * metadata (one request per kind, while kustomize renders and the images are checked), and compares
 * both with the {@link DeployFingerprint} the last successful deploy recorded once every workload
 * was ready. When the inputs are the same and no member changed since (a workload's status
 * included: its resourceVersion is recorded), there is nothing to apply and nothing to wait for:
 * the stack is as that deploy left it, ready. Anything else — a difference, an error, a kind it
 * cannot list — and it steps aside without a word for the full deploy, which applies, waits and
 * explains errors as always. It only reads, and judges no readiness itself.
 */
final class NoChangeCheck {

  /**
   * What the last deploy left in the cluster, read before the images are known: its record, the
   * members (as applied) and how many of them are workloads.
   */
  record Observed(DeployFingerprint.Recorded recorded, List<HasMetadata> members, String context, String namespace) {

    /** How many members the last deploy waited for. */
    long workloads() {
      return members.stream().filter(m -> WorkloadKind.of(m).filter(WorkloadKind::isWaitedFor).isPresent()).count();
    }
  }

  private final StackDeployment.Request request;
  private final BuildLog log;

  NoChangeCheck(StackDeployment.Request request, BuildLog log) {
    this.request = request;
    this.log = log;
  }

  /**
   * The cluster's half: the parent's fingerprint and the members, as long as they are what that
   * deploy recorded. Empty (after a debug line) for anything else.
   */
  Optional<Observed> read(ClusterConnector.Connection connection) {
    String namespace = request.namespace() != null ? request.namespace() : connection.namespace();
    return read(ClusterReads.of(connection.client()), connection.context(), namespace);
  }

  /**
   * What {@link #readPlain} found; not {@code possible} when the context's credentials need
   * fabric8's client (then {@link #read(ClusterConnector.Connection)} reads instead).
   */
  record PlainReading(boolean possible, Optional<Observed> observed) {}

  /**
   * The same with plain requests, when the context's credentials allow them: no fabric8 client is
   * started (most of a deploy that finds nothing to do).
   */
  PlainReading readPlain(KubeContext context) {
    long start = System.nanoTime();
    try (PlainApiReader api = PlainApiReader.of(context).orElse(null)) {
      if (api == null) {
        log.debug("No-change check: context " + context.name() + " needs fabric8's client for its credentials");
        return new PlainReading(false, Optional.empty());
      }
      log.debug("No-change check: plain requests to " + api + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
      return new PlainReading(true, read(ClusterReads.of(api), context.name(), request.namespace() != null ? request.namespace() : context.namespace()));
    } catch (IOException | RuntimeException e) {
      return new PlainReading(true, miss("plain requests failed (" + e + ")"));
    }
  }

  private Optional<Observed> read(ClusterReads reads, String context, String namespace) {
    long start = System.nanoTime();
    try {
      Optional<Observed> observed = observe(reads, context, namespace);
      log.debug("No-change check: cluster read in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
      return observed;
    } catch (RuntimeException e) {
      log.debug("No-change check gave up (" + e + "); full deploy");
      return Optional.empty();
    }
  }

  /** Whether the overlay rendered to the bytes that deploy applied (and parsed), known before the build. */
  boolean sameOverlay(Observed observed, String yaml) {
    return DeployFingerprint.overlay(request.tooling(), request.stack(), yaml).equals(observed.recorded().overlay());
  }

  /** The inputs' half: whether the rendered overlay and the images are those of that deploy. */
  boolean sameInputs(Observed observed, String yaml, Map<String, String> builtImages) {
    String inputs = DeployFingerprint.inputs(request.tooling(), request.stack(), observed.namespace(), yaml, builtImages);
    boolean same = inputs.equals(observed.recorded().inputs());
    log.debug("No-change check: " + (same ? "nothing to apply" : "manifests or images changed"));
    return same;
  }

  private Optional<Observed> observe(ClusterReads reads, String context, String namespace) {
    ApplySet applySet = new ApplySet(request.stack(), namespace);
    Secret parent = reads.secret(namespace, applySet.name());
    Optional<DeployFingerprint.Recorded> recorded = DeployFingerprint.Recorded.on(parent);
    if (recorded.isEmpty()) {
      return miss("no fingerprint of an earlier deploy");
    }
    Set<String> groupKinds = ApplySet.groupKinds(parent);
    Optional<String> unknown = groupKinds.stream().filter(gk -> Kinds.type(gk).isEmpty()).findFirst();
    if (unknown.isPresent()) {
      return miss("cannot list " + unknown.get());
    }
    Set<String> namespaces = new TreeSet<>(ApplySet.additionalNamespaces(parent));
    namespaces.add(namespace);
    List<ReadMember> members = StackMembers.collect(request.stack(), groupKinds, namespaces, log,
        (type, ns) -> reads.list(type, ns, ApplySet.PART_OF, applySet.id()));
    if (!DeployFingerprint.members(members.stream().map(DeployFingerprint.Member::of).toList()).equals(recorded.get().members())) {
      return miss("members changed since the last deploy");
    }
    return Optional.of(new Observed(recorded.get(), List.copyOf(members), context, namespace));
  }

  private <T> Optional<T> miss(String why) {
    log.debug("No-change check: " + why);
    return Optional.empty();
  }
}
