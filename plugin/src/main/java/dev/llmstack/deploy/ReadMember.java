package dev.llmstack.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A stack member as deploy's no-change check reads it: its type and metadata, nothing else. Not
 * fabric8's GenericKubernetesResource, whose class starts a Jackson ObjectMapper when it is loaded
 * (~0.1 s that a plain read need not pay).
 */
final class ReadMember implements HasMetadata {

  private String apiVersion;
  private final String kind;
  private ObjectMeta metadata;

  ReadMember(String apiVersion, String kind, ObjectMeta metadata) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.metadata = metadata;
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
  public String getKind() {
    return kind;
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
  public String toString() {
    return kind + " " + (metadata == null ? "" : metadata.getName());
  }
}
