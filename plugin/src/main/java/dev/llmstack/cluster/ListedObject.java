package dev.llmstack.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * An object as deploy's no-change check listed it: kind, API version and metadata, nothing else.
 * (fabric8's GenericKubernetesResource would do, but loading it starts a Jackson ObjectMapper.)
 */
final class ListedObject implements HasMetadata {

  private final String kind;
  private String apiVersion;
  private ObjectMeta metadata;

  ListedObject(String apiVersion, String kind, ObjectMeta metadata) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.metadata = metadata;
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  @Override
  public String getKind() {
    return kind;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  @Override
  public String toString() {
    return kind + " " + metadata.getNamespace() + "/" + metadata.getName();
  }
}
