package dev.llmstack.cluster;

import dev.llmstack.docker.Json;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deploy's shortcut when nothing changed: with the plain HTTP client and no fabric8 model, reads the
 * stack's ApplySet parent and lists its members (one request per kind, while kustomize renders),
 * and compares both with the {@link DeployFingerprint} the last deploy recorded. When the inputs
 * are the same, no member changed since and every workload is ready, there is nothing to apply and
 * nothing to wait for. Anything else — a difference, an error, a kubeconfig it does not handle, a
 * workload not ready — and it steps aside without a word for the full deploy, which applies, waits
 * and explains errors as always. It only reads, and only after the context guard passed.
 */
final class NoChangeCheck {

  /** What the shortcut found: the members (as applied), and how many of them are workloads. */
  record Same(List<HasMetadata> members, int workloads, String context, String namespace) {}

  private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod");

  private final StackDeployment.Request request;
  private final BuildLog log;

  NoChangeCheck(StackDeployment.Request request, BuildLog log) {
    this.request = request;
    this.log = log;
  }

  Optional<Same> check(CompletableFuture<String> rendered) {
    long start = System.nanoTime();
    try {
      Optional<Same> same = compare(rendered);
      log.debug("No-change check: " + (same.isPresent() ? "nothing to apply" : "full deploy") + " after "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
      return same;
    } catch (Exception e) {
      log.debug("No-change check gave up (" + e + "); full deploy");
      return Optional.empty();
    }
  }

  private Optional<Same> compare(CompletableFuture<String> rendered) throws Exception {
    ClusterConnector.Options options = request.cluster();
    Path file = ClusterConnector.kubeconfigFile(options);
    Optional<Kubeconfig.Target> found = Kubeconfig.read(file, options.context());
    if (found.isEmpty()) {
      return miss("the kubeconfig needs the full client");
    }
    Kubeconfig.Target target = found.get();
    if (!ClusterConnector.isAllowed(target.context(), options.allowedContexts())) {
      return miss("context not allowed"); // the full deploy says so
    }
    String namespace = request.namespace() != null ? request.namespace()
        : target.namespace() == null || target.namespace().isBlank() ? "default" : target.namespace();
    ApplySet applySet = new ApplySet(request.stack(), namespace);
    try (KubeApi api = KubeApi.open(target)) {
      Object parent = api.get("/api/v1/namespaces/" + namespace + "/secrets/" + applySet.name());
      Map<String, String> annotations = Json.strings(Json.object(parent, "metadata"), "annotations");
      String recordedInputs = annotations.get(DeployFingerprint.INPUTS);
      String recordedMembers = annotations.get(DeployFingerprint.MEMBERS);
      if (parent == null || recordedInputs == null || recordedMembers == null) {
        return miss("no fingerprint of an earlier deploy");
      }
      Set<String> namespaces = new TreeSet<>(split(annotations.get(ApplySet.ADDITIONAL_NAMESPACES)));
      namespaces.add(namespace);
      List<DeployFingerprint.Member> states = new ArrayList<>();
      List<HasMetadata> members = new ArrayList<>();
      int workloads = 0;
      for (String groupKind : split(annotations.get(ApplySet.GROUP_KINDS))) {
        Optional<KindPaths.KindPath> path = KindPaths.of(groupKind);
        if (path.isEmpty()) {
          return miss("unknown kind " + groupKind);
        }
        for (String ns : path.get().namespaced() ? namespaces : Set.of("")) {
          if (rendered.isCompletedExceptionally()) {
            return miss("rendering failed");
          }
          Object list = api.get(path.get().list(ns, ApplySet.PART_OF + "=" + applySet.id()));
          for (Object item : Json.array(list, "items")) {
            Map<String, String> labels = Json.strings(Json.object(item, "metadata"), "labels");
            if (!StackDecorator.MANAGED_BY_VALUE.equals(labels.get(StackDecorator.MANAGED_BY))
                || !request.stack().equals(labels.get(StackDecorator.STACK))) {
              continue; // not the stack's (StackMembers' rule): neither counted nor touched
            }
            states.add(DeployFingerprint.Member.of(groupKind, item));
            members.add(object(path.get(), item));
            if (WORKLOAD_KINDS.contains(path.get().kind())) {
              workloads++;
              @SuppressWarnings("unchecked")
              WorkloadState state = RolloutRules.of(path.get().kind(), (Map<String, Object>) item);
              if (!state.isReady()) {
                return miss(path.get().kind() + " " + members.get(members.size() - 1).getMetadata().getName() + " not ready");
              }
            }
          }
        }
      }
      if (!DeployFingerprint.members(states).equals(recordedMembers)) {
        return miss("members changed since the last deploy");
      }
      String yaml = rendered.get(); // a rendering failure is the full deploy's to report
      String inputs = DeployFingerprint.inputs(request.tooling(), request.stack(), namespace, yaml, request.builtImages());
      if (!inputs.equals(recordedInputs)) {
        return miss("manifests or images changed");
      }
      return Optional.of(new Same(members, workloads, target.context(), namespace));
    }
  }

  private Optional<Same> miss(String why) {
    log.debug("No-change check: " + why);
    return Optional.empty();
  }

  private static List<String> split(String value) {
    List<String> out = new ArrayList<>();
    if (value != null) {
      for (String s : value.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  /** A stand-in for the applied object (kind and metadata), without fabric8's typed model. */
  private static HasMetadata object(KindPaths.KindPath path, Object item) {
    Map<String, Object> meta = Json.object(item, "metadata");
    ObjectMeta m = new ObjectMeta();
    m.setName(Json.string(meta, "name"));
    m.setNamespace(Json.string(meta, "namespace"));
    m.setUid(Json.string(meta, "uid"));
    m.setResourceVersion(Json.string(meta, "resourceVersion"));
    m.setGeneration(Json.number(meta, "generation"));
    m.setLabels(Json.strings(meta, "labels"));
    return new ListedObject(path.apiVersion(), path.kind(), m);
  }
}
