package dev.llmstack.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;

/**
 * A stack member as deploy's no-change check reads it: its type and metadata, the rest (spec,
 * status) as JSON maps. Not fabric8's GenericKubernetesResource, whose class starts a Jackson
 * ObjectMapper when it is loaded (~0.1 s that a plain read need not pay).
 */
final class ReadMember implements HasMetadata {

  private String apiVersion;
  private final String kind;
  private ObjectMeta metadata;
  private final Map<String, Object> fields;

  ReadMember(String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> fields) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.metadata = metadata;
    this.fields = fields; // may hold nulls, as JSON does
  }

  /** A top-level field other than apiVersion, kind and metadata, as JSON maps, lists and values; null if absent. */
  Object field(String name) {
    return fields.get(name);
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
