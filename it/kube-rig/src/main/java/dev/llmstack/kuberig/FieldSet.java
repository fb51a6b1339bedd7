package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields a manager owns, and their FieldsV1 form (https://kubernetes.io/docs/reference/using-api/
 * server-side-apply/#field-management): a tree of keys where a member with children also holds {@code ".": {}} and
 * a member without children is {@code {}}.
 */
final class FieldSet {

  private final TreeSet<FieldPath> members = new TreeSet<>();

  FieldSet() {
  }

  FieldSet(Collection<FieldPath> paths) {
    members.addAll(paths);
  }

  FieldSet copy() {
    return new FieldSet(members);
  }

  void add(FieldPath path) {
    members.add(path);
  }

  void addAll(FieldSet other) {
    members.addAll(other.members);
  }

  void removeAll(FieldSet other) {
    members.removeAll(other.members);
  }

  boolean contains(FieldPath path) {
    return members.contains(path);
  }

  /** The path itself or anything below it is a member. */
  boolean touches(FieldPath path) {
    final FieldPath first = members.ceiling(path); // the paths below a path sort right after it
    return first != null && path.isPrefixOf(first);
  }

  FieldSet intersection(FieldSet other) {
    final FieldSet result = new FieldSet();
    for (FieldPath p : members) {
      if (other.members.contains(p)) {
        result.members.add(p);
      }
    }
    return result;
  }

  FieldSet minus(FieldSet other) {
    final FieldSet result = copy();
    result.members.removeAll(other.members);
    return result;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  Set<FieldPath> paths() {
    return Collections.unmodifiableSet(members);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet && ((FieldSet) o).members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }

  @Override
  public String toString() {
    return members.toString();
  }

  /** The FieldsV1 object. */
  ObjectNode toFieldsV1() {
    final ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (FieldPath path : members) {
      ObjectNode node = root;
      for (String e : path.elements()) {
        final JsonNode child = node.get(e);
        node = child instanceof ObjectNode ? (ObjectNode) child : node.putObject(e);
      }
    }
    for (FieldPath path : members) {
      ObjectNode node = root;
      for (String e : path.elements()) {
        node = (ObjectNode) node.get(e);
      }
      if (node.size() > 0 && !node.has(".")) {
        node.putObject(".");
      }
    }
    return root;
  }

  static FieldSet fromFieldsV1(JsonNode fieldsV1) {
    final FieldSet set = new FieldSet();
    read(fieldsV1, FieldPath.ROOT, set);
    return set;
  }

  private static void read(JsonNode node, FieldPath path, FieldSet set) {
    if (!path.isRoot() && (node.size() == 0 || node.has("."))) {
      set.add(path);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
      final Map.Entry<String, JsonNode> child = it.next();
      if (!child.getKey().equals(".")) {
        read(child.getValue(), path.child(child.getKey()), set);
      }
    }
  }
}
