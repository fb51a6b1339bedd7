package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the simulated controllers and kubelet write to the API server: creates (a 409 AlreadyExists or a 403 from a
 * Terminating namespace is an answer, not a failure), deletes, updates, status through {@code /status} only when it
 * changed, Events. Records when a workload's status became fully ready ({@link #markedReadyAt}).
 */
final class ClusterWriter {

  static final String NODE = "minikube";

  private final KubernetesClient client;
  private final KubernetesClient kubeletClient;
  private final Map<String, Instant> markedReadyAt = new ConcurrentHashMap<>();
  private final Set<String> currentlyReady = ConcurrentHashMap.newKeySet();
  private final Set<String> eventsEmitted = ConcurrentHashMap.newKeySet();
  private final Set<String> deletedInPass = ConcurrentHashMap.newKeySet();

  /**
   * @param client the controllers' (User-Agent kube-controller-manager: the manager of their writes)
   * @param kubeletClient the kubelet's, for pod status (User-Agent kubelet)
   */
  ClusterWriter(KubernetesClient client, KubernetesClient kubeletClient) {
    this.client = client;
    this.kubeletClient = kubeletClient;
  }

  Optional<Instant> markedReadyAt(String namespace, String name) {
    return Optional.ofNullable(markedReadyAt.get(namespace + "/" + name));
  }

  /** Creates the object; false when the server refused it (exists already, namespace Terminating). */
  boolean create(HasMetadata object) {
    try {
      client.resource(object).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 403) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the object (background propagation); one that is gone already is no error. */
  void delete(HasMetadata object) {
    client.resource(object).delete();
    deletedInPass.add(object.getMetadata().getUid());
  }

  /** A reconcile pass starts: {@link #deletedInPass} forgets the last one's deletions. */
  void newPass() {
    deletedInPass.clear();
  }

  /** Whether the current pass has deleted the object with that uid. */
  boolean deletedInPass(String uid) {
    return deletedInPass.contains(uid);
  }

  /** Replaces the object (not its status) at the resourceVersion read; true also when that version was stale. */
  boolean update(HasMetadata object) {
    try {
      client.resource(object).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
    }
    return true;
  }

  /**
   * Sets annotations by a merge patch (the controllers' metadata-only update).
   *
   * @return whether the stored object carries them now (not for an object named {@code status} or {@code scale},
   *     whose path the mock takes for the subresource's)
   */
  boolean annotate(HasMetadata object, Map<String, String> annotations) {
    final String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations)));
    try {
      final HasMetadata patched = client.resource(object).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return patched != null && patched.getMetadata().getAnnotations() != null
          && patched.getMetadata().getAnnotations().entrySet().containsAll(annotations.entrySet());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      return true;
    }
  }

  /** The controller ownerReference to {@code owner}, as every controller sets it on what it creates. */
  static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  /**
   * Creates a pod from a template, owned by {@code owner}: the template's annotations, the given labels, scheduled
   * on the one node (unless the template asks to be Unschedulable), extra volumes (a StatefulSet's claims) added.
   */
  boolean createPod(HasMetadata owner, PodTemplateSpec template, String name, Map<String, String> labels,
      List<Volume> extraVolumes) {
    final ObjectMeta tm = Optional.ofNullable(template.getMetadata()).orElseGet(ObjectMeta::new);
    final PodSpec spec = Serialization.unmarshal(Serialization.asJson(template.getSpec()), PodSpec.class);
    final Map<String, String> annotations = tm.getAnnotations() == null ? Map.of() : tm.getAnnotations();
    if (!"Unschedulable".equals(annotations.get(KubeletSimulator.FAIL_ANNOTATION))) {
      spec.setNodeName(NODE);
    }
    if (extraVolumes != null && !extraVolumes.isEmpty()) {
      final List<Volume> volumes = new ArrayList<>(Optional.ofNullable(spec.getVolumes()).orElse(List.of()));
      for (Volume v : extraVolumes) {
        if (volumes.stream().noneMatch(x -> x.getName().equals(v.getName()))) {
          volumes.add(v);
        }
      }
      spec.setVolumes(volumes);
    }
    final Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(tm.getAnnotations()).withOwnerReferences(controllerReference(owner))
        .endMetadata().withSpec(spec).build();
    return create(pod);
  }

  /**
   * Writes the status through the /status subresource if it differs. {@code fullyReady} (null: not a workload the
   * rig tracks) records when a workload became fully ready, just before the write, so that whoever sees the ready
   * status also sees the instant.
   *
   * @return whether anything was written (or the write met a newer version: another pass is due)
   */
  <T extends HasMetadata> boolean writeStatus(T object, Object oldStatus, Object newStatus, Boolean fullyReady,
      Runnable setStatus) {
    final String key = object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    final boolean track = fullyReady != null;
    final JsonNode before = Serialization.jsonMapper().valueToTree(oldStatus == null ? Map.of() : oldStatus);
    final JsonNode after = Serialization.jsonMapper().valueToTree(newStatus);
    final boolean becameReady = track && fullyReady && !currentlyReady.contains(key);
    final Instant previous = markedReadyAt.get(key);
    if (becameReady) {
      currentlyReady.add(key);
      markedReadyAt.put(key, Instant.now());
    } else if (track && !fullyReady && !(object instanceof Job)) {
      currentlyReady.remove(key);
    }
    if (before.equals(after)) {
      return false;
    }
    setStatus.run();
    object.getMetadata().setResourceVersion(null);
    try {
      // a pod's status is the kubelet's (its own manager in managedFields), everything else the controllers'
      (object instanceof Pod ? kubeletClient : client).resource(object).updateStatus();
      return true;
    } catch (KubernetesClientException e) {
      if (becameReady) {
        currentlyReady.remove(key);
        if (previous == null) {
          markedReadyAt.remove(key);
        } else {
          markedReadyAt.put(key, previous);
        }
      }
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      return true;
    }
  }

  /** A core/v1 Event about a pod, once per pod and reason. */
  void event(Pod pod, String type, String reason, String message, String component) {
    final String uid = pod.getMetadata().getUid();
    if (!eventsEmitted.add(uid + "/" + reason)) {
      return;
    }
    final String ts = timestamp(Instant.now());
    final String ns = pod.getMetadata().getNamespace();
    final Event e = new EventBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
        .withNamespace(ns).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
            .withName(pod.getMetadata().getName()).withNamespace(ns).withUid(uid).build())
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
        .withNewSource().withComponent(component).withHost("kubelet".equals(component) ? NODE : null).endSource()
        .withReportingComponent(component).withReportingInstance("kubelet".equals(component) ? NODE : "")
        .build();
    create(e);
  }

  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
