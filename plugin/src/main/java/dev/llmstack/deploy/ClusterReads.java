package dev.llmstack.deploy;

import dev.llmstack.kube.Kinds;
import dev.llmstack.kube.KubeContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two reads of deploy's no-change check, metadata only: the ApplySet parent and one kind's
 * labelled objects. One interface, two ways: fabric8's client (any kubeconfig context, and the
 * connection deploy uses), or {@link PlainApiReader}'s plain requests, which spare a deploy that
 * finds nothing to do the start of fabric8's client when the context's credentials are static.
 */
interface ClusterReads {

  /** The Secret's metadata, or null when there is none. */
  Secret secret(String namespace, String name);

  /** One kind's objects with the label, in a namespace or (null) cluster-wide. */
  List<ReadMember> list(Class<? extends HasMetadata> type, String namespace, String label, String value);

  static ClusterReads of(KubernetesClient client) {
    return new ClusterReads() {
      @Override
      public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
      }

      @Override
      public List<ReadMember> list(Class<? extends HasMetadata> type, String namespace, String label, String value) {
        // The context from the class's annotations: by apiVersion and kind, fabric8 would look the
        // kind up in its registry of every model class, built on first use (~0.3 s).
        var resources = client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type));
        List<GenericKubernetesResource> items = namespace == null
            ? resources.withLabel(label, value).list().getItems()
            : resources.inNamespace(namespace).withLabel(label, value).list().getItems();
        return items.stream()
            .map(o -> new ReadMember(Kinds.apiVersion(type), Kinds.kind(type), o.getMetadata()))
            .toList();
      }
    };
  }

  static ClusterReads of(PlainApiReader api) {
    return new ClusterReads() {
      @Override
      public Secret secret(String namespace, String name) {
        Optional<Map<String, Object>> found = get("/api/v1/namespaces/" + namespace + "/secrets/" + name);
        if (found.isEmpty()) {
          return null;
        }
        Secret secret = new Secret();
        secret.setMetadata(metadata(found.get().get("metadata"))); // its data is not needed, nor kept
        return secret;
      }

      @Override
      public List<ReadMember> list(Class<? extends HasMetadata> type, String namespace, String label, String value) {
        String apiVersion = Kinds.apiVersion(type);
        String path = (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion
            + (namespace == null ? "" : "/namespaces/" + namespace)
            + "/" + Kinds.plural(type)
            + "?labelSelector=" + URLEncoder.encode(label + "=" + value, StandardCharsets.UTF_8);
        Object items = get(path).orElse(Map.of()).get("items");
        if (!(items instanceof List<?> all)) {
          return List.of();
        }
        // a list's items carry no apiVersion and kind: the type's
        return all.stream().map(item -> resource((Map<?, ?>) item, apiVersion, Kinds.kind(type))).toList();
      }

      private Optional<Map<String, Object>> get(String path) {
        try {
          return api.get(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** An object's metadata as the API server sent it (JSON maps), without Jackson's model. */
  static ReadMember resource(Map<?, ?> item, String apiVersion, String kind) {
    return new ReadMember(apiVersion, kind, metadata(item.get("metadata")));
  }

  /** What the check and the fingerprint read of an object's metadata. */
  @SuppressWarnings("unchecked")
  private static ObjectMeta metadata(Object json) {
    Map<String, Object> m = json instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(KubeContext.string(m.get("name")));
    meta.setNamespace(KubeContext.string(m.get("namespace")));
    meta.setUid(KubeContext.string(m.get("uid")));
    meta.setResourceVersion(KubeContext.string(m.get("resourceVersion")));
    meta.setGeneration(m.get("generation") instanceof Number n ? n.longValue() : null);
    meta.setLabels(m.get("labels") instanceof Map<?, ?> labels ? (Map<String, String>) labels : null);
    meta.setAnnotations(m.get("annotations") instanceof Map<?, ?> annotations ? (Map<String, String>) annotations : null);
    return meta;
  }
}
