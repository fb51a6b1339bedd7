package dev.llmstack.render;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmstack.error.ConfigurationException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered YAML into fabric8's typed model, one document at a time, so that an unknown kind
 * or a misspelt field is an error naming the document instead of something the API server drops.
 */
public final class ManifestParser {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ManifestParser() {}

  /** @param source where the YAML came from, for messages (e.g. the overlay) */
  public static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode doc = documents.next();
        index++;
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
          continue;
        }
        if (!doc.isObject()) {
          throw new ConfigurationException(
              "Document " + index + " rendered from " + source + " is not a Kubernetes object but a "
                  + (doc.isArray() ? "list" : "single value") + ".",
              "Remove it or make it a YAML mapping with apiVersion, kind and metadata.");
        }
        objects.add(typed(doc, index, source));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigurationException c) {
        throw c;
      }
      throw new ConfigurationException(
          "The YAML rendered from " + source + " is not valid (document " + (index + 1) + "): "
              + firstLine(e.getMessage()) + ".",
          "Fix that document in the overlay or its bases.");
    }
    return objects;
  }

  private static HasMetadata typed(JsonNode doc, int index, String source) {
    String kind = doc.path("kind").asText("");
    String apiVersion = doc.path("apiVersion").asText("");
    String name = doc.path("metadata").path("name").asText("");
    String where = "Document " + index + " (" + (kind.isEmpty() ? "no kind" : kind) + " " + name + ") rendered from " + source;
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      throw new ConfigurationException(where + " has no apiVersion or kind.", "Add both to that document.");
    }
    if (name.isEmpty()) {
      throw new ConfigurationException(where + " has no metadata.name.", "Give that object a name.");
    }
    KubernetesResource resource;
    try {
      resource = Serialization.jsonMapper().treeToValue(doc, KubernetesResource.class);
    } catch (IOException | RuntimeException e) {
      // Jackson's message quotes the value it could not read: a Secret's data, say. Name the field instead.
      throw new ConfigurationException(
          where + " does not match the " + kind + " schema: " + mismatch(e) + ".",
          "Fix the field's type in that document.");
    }
    if (!(resource instanceof HasMetadata object)) {
      throw new ConfigurationException(where + " is not a Kubernetes object.", "Check its apiVersion and kind.");
    }
    if (resource instanceof GenericKubernetesResource) {
      if (BuiltInGroups.contains(apiVersion)) {
        throw new ConfigurationException(
            where + " has a kind this plugin does not know (" + apiVersion + " " + kind + ").",
            "Use a built-in Kubernetes kind, or check apiVersion and kind for typos.");
      }
      return object; // a custom resource: deploy checks that the cluster serves its kind before applying anything
    }
    UnknownFields.first(object)
        .ifPresent(
            field -> {
              throw new ConfigurationException(
                  where + " has an unknown field '" + field + "'.",
                  "Fix its spelling or remove it (kubectl explain " + kind.toLowerCase() + " lists the fields).");
            });
    return object;
  }

  /** Where and what Jackson could not read, without the value itself. */
  private static String mismatch(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        String expected = m instanceof MismatchedInputException mi && mi.getTargetType() != null
            ? " cannot be read as " + typeName(mi.getTargetType())
            : " has a value of the wrong type";
        return "field '" + path(m.getPath()) + "'" + expected;
      }
    }
    return "a field has a value of the wrong type";
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String typeName(Class<?> type) {
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping (key: value)";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").strip();
  }
}
