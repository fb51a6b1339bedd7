package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A field of an object as server-side apply names it, one FieldsV1 key per step
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management): {@code f:<name>} a field,
 * {@code k:{"name":"web"}} the item of an associative list with those key values, {@code v:<json>} the item of a
 * set. {@link #toString()} prints it as conflict messages do: {@code .spec.containers[name="web"].image}.
 */
record FieldPath(List<String> elements) implements Comparable<FieldPath> {

  static final FieldPath ROOT = new FieldPath(List.of());
  private static final ObjectMapper JSON = new ObjectMapper();

  FieldPath {
    elements = List.copyOf(elements);
  }

  FieldPath child(String element) {
    final List<String> next = new ArrayList<>(elements);
    next.add(element);
    return new FieldPath(next);
  }

  FieldPath field(String name) {
    return child("f:" + name);
  }

  boolean isRoot() {
    return elements.isEmpty();
  }

  /** This path or one below it. */
  boolean isPrefixOf(FieldPath other) {
    return other.elements.size() >= elements.size() && other.elements.subList(0, elements.size()).equals(elements);
  }

  /** Element by element: a path sorts right before the paths below it. */
  @Override
  public int compareTo(FieldPath o) {
    for (int i = 0; i < Math.min(elements.size(), o.elements.size()); i++) {
      final int c = elements.get(i).compareTo(o.elements.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(elements.size(), o.elements.size());
  }

  /** {@code .spec.ports[port=80,protocol="TCP"].name}, {@code .metadata.finalizers[="x"]}. */
  @Override
  public String toString() {
    final StringBuilder b = new StringBuilder();
    for (String e : elements) {
      final String rest = e.substring(2);
      if (e.startsWith("f:")) {
        b.append('.').append(rest);
      } else if (e.startsWith("k:")) {
        b.append('[');
        final JsonNode key = readJson(rest);
        for (Iterator<Map.Entry<String, JsonNode>> it = key.fields(); it.hasNext();) {
          final Map.Entry<String, JsonNode> field = it.next();
          b.append(field.getKey()).append('=').append(field.getValue().toString());
          if (it.hasNext()) {
            b.append(',');
          }
        }
        b.append(']');
      } else if (e.startsWith("v:")) {
        b.append("[=").append(rest).append(']');
      } else {
        b.append('[').append(rest).append(']');
      }
    }
    return b.toString();
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a FieldsV1 key: " + text, e);
    }
  }
}
