package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The walks of server-side apply over two objects, as sigs.k8s.io/structured-merge-diff does them
 * (https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy): the set of fields an applied
 * configuration holds, the fields one version of an object added, changed and removed from another, an applied
 * configuration merged onto a live object, and a field removed. Leaves are scalars, atomic lists and objects, and
 * empty objects or lists; the items of associative lists and sets are matched by their key.
 */
final class FieldWalks {

  private final ApplySchema schema;

  FieldWalks(ApplySchema schema) {
    this.schema = schema;
  }

  /** Added, changed and removed fields from one version to the next. */
  record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {
    boolean isEmpty() {
      return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
    }

    FieldSet addedOrModified() {
      final FieldSet s = added.copy();
      s.addAll(modified);
      return s;
    }
  }

  // ---------------------------------------------------------------- the fields of an applied configuration

  /**
   * What the applier of this configuration owns: every leaf, and every item of an associative list or set
   * (structured-merge-diff's ToFieldSet; an empty object counts as a leaf here so that it can be owned and pruned).
   */
  FieldSet fieldsOf(JsonNode object) {
    final FieldSet set = new FieldSet();
    collect(object, FieldPath.ROOT, new ArrayList<>(), set);
    return set;
  }

  private void collect(JsonNode node, FieldPath path, List<String> names, FieldSet set) {
    if (node.isObject() && !path.isRoot() && (node.size() == 0 || schema.atomicObject(names))) {
      set.add(path);
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
        final Map.Entry<String, JsonNode> field = it.next();
        collect(field.getValue(), path.field(field.getKey()), with(names, field.getKey()), set);
      }
    } else if (node.isArray()) {
      final List<String> elements = itemElements((ArrayNode) node, names);
      if (elements == null) {
        set.add(path);
        return;
      }
      for (int i = 0; i < node.size(); i++) {
        final FieldPath item = path.child(elements.get(i));
        set.add(item);
        if (node.get(i).isObject() && !schema.atomicObject(names)) {
          collect(node.get(i), item, names, set);
        }
      }
    } else {
      set.add(path);
    }
  }

  // ---------------------------------------------------------------- comparison

  Comparison compare(JsonNode before, JsonNode after) {
    final Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
    compare(before, after, FieldPath.ROOT, new ArrayList<>(), c);
    return c;
  }

  private void compare(JsonNode a, JsonNode b, FieldPath path, List<String> names, Comparison c) {
    if (isLeaf(a, b, names)) {
      if (a == null) {
        c.added().add(path);
      } else if (b == null) {
        c.removed().add(path);
      } else if (!a.equals(b)) {
        c.modified().add(path);
      }
      return;
    }
    if ((a != null ? a : b).isObject()) {
      compareFields(a, b, path, names, c);
    } else {
      final Map<String, JsonNode> itemsA = items(a, names);
      final Map<String, JsonNode> itemsB = items(b, names);
      final Set<String> keys = new LinkedHashSet<>(itemsA.keySet());
      keys.addAll(itemsB.keySet());
      for (String key : keys) {
        compareItem(itemsA.get(key), itemsB.get(key), path.child(key), names, c);
      }
    }
    if (!path.isRoot() && a == null) {
      c.added().add(path);
    } else if (!path.isRoot() && b == null) {
      c.removed().add(path);
    }
  }

  private void compareItem(JsonNode a, JsonNode b, FieldPath path, List<String> names, Comparison c) {
    final JsonNode some = a != null ? a : b;
    if (some.isObject() && !schema.atomicObject(names) && (a == null || a.isObject()) && (b == null || b.isObject())
        && !(isEmpty(a) && isEmpty(b))) {
      compareFields(a, b, path, names, c);
    } else if (a != null && b != null && !a.equals(b)) {
      c.modified().add(path);
    }
    if (a == null) {
      c.added().add(path);
    } else if (b == null) {
      c.removed().add(path);
    }
  }

  /** Field by field, over the fields of either side. */
  private void compareFields(JsonNode a, JsonNode b, FieldPath path, List<String> names, Comparison c) {
    final Set<String> keys = new LinkedHashSet<>();
    if (a != null) {
      a.fieldNames().forEachRemaining(keys::add);
    }
    if (b != null) {
      b.fieldNames().forEachRemaining(keys::add);
    }
    for (String key : keys) {
      compare(a == null ? null : a.get(key), b == null ? null : b.get(key), path.field(key), with(names, key), c);
    }
  }

  /** A scalar, an atomic list or object, both sides empty, or two sides of different shapes. */
  private boolean isLeaf(JsonNode a, JsonNode b, List<String> names) {
    final JsonNode some = a != null ? a : b;
    if (a != null && b != null && a.getNodeType() != b.getNodeType()) {
      return true;
    }
    if (some.isObject()) {
      return schema.atomicObject(names) || isEmpty(a) && isEmpty(b);
    }
    if (some.isArray()) {
      return isEmpty(a) && isEmpty(b) || itemElements((ArrayNode) some, names) == null
          || a != null && b != null && itemElements((ArrayNode) (some == a ? b : a), names) == null;
    }
    return true;
  }

  private static boolean isEmpty(JsonNode node) {
    return node == null || node.size() == 0;
  }

  // ---------------------------------------------------------------- merge

  /** The applied configuration merged onto the live object (new JSON; neither input is changed). */
  JsonNode merge(JsonNode live, JsonNode applied) {
    return merge(live, applied, new ArrayList<>());
  }

  private JsonNode merge(JsonNode live, JsonNode applied, List<String> names) {
    if (live == null || live.getNodeType() != applied.getNodeType()) {
      return applied.deepCopy();
    }
    if (applied.isObject() && !schema.atomicObject(names)) {
      final ObjectNode result = (ObjectNode) live.deepCopy();
      for (Iterator<Map.Entry<String, JsonNode>> it = applied.fields(); it.hasNext();) {
        final Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNull()) {
          result.remove(field.getKey());
        } else {
          result.set(field.getKey(), merge(live.get(field.getKey()), field.getValue(), with(names, field.getKey())));
        }
      }
      return result;
    }
    if (applied.isArray()) {
      final Map<String, JsonNode> liveItems = items(live, names);
      final Map<String, JsonNode> appliedItems = items(applied, names);
      if (liveItems == null || appliedItems == null) {
        return applied.deepCopy();
      }
      final ArrayNode result = JsonNodeFactory.instance.arrayNode();
      for (String key : mergedOrder(new ArrayList<>(liveItems.keySet()), new ArrayList<>(appliedItems.keySet()))) {
        final JsonNode l = liveItems.get(key);
        final JsonNode a = appliedItems.get(key);
        result.add(a == null ? l.deepCopy() : l == null || !a.isObject() ? a.deepCopy() : merge(l, a, names));
      }
      return result;
    }
    return applied.deepCopy();
  }

  /**
   * The applied items in their order, each live-only item kept right after the item it followed in the live list
   * (structured-merge-diff's merge keeps both orders the same way).
   */
  private static List<String> mergedOrder(List<String> live, List<String> applied) {
    final List<String> result = new ArrayList<>();
    final Set<String> inApplied = new HashSet<>(applied);
    int l = 0;
    for (String a : applied) {
      final int at = live.indexOf(a);
      if (at >= l) {
        for (; l < at; l++) {
          if (!inApplied.contains(live.get(l))) {
            result.add(live.get(l));
          }
        }
        l = at + 1;
      }
      result.add(a);
    }
    for (; l < live.size(); l++) {
      if (!inApplied.contains(live.get(l))) {
        result.add(live.get(l));
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- removal

  /**
   * Removes the field (a no-op when it is not there); objects and lists it leaves empty go too, unless
   * {@code keepEmpty} holds for them (someone owns them).
   */
  void remove(JsonNode object, FieldPath path, Predicate<FieldPath> keepEmpty) {
    remove(object, path.elements(), 0, FieldPath.ROOT, new ArrayList<>(), keepEmpty);
  }

  private boolean remove(JsonNode node, List<String> elements, int i, FieldPath at, List<String> names,
      Predicate<FieldPath> keepEmpty) {
    final String element = elements.get(i);
    final JsonNode child;
    final List<String> childNames;
    int index = -1;
    if (element.startsWith("f:") && node.isObject()) {
      childNames = with(names, element.substring(2));
      child = node.get(element.substring(2));
    } else if (node.isArray()) {
      childNames = names;
      final List<String> keys = itemElements((ArrayNode) node, names);
      index = keys == null ? -1 : keys.indexOf(element);
      child = index < 0 ? null : node.get(index);
    } else {
      return false;
    }
    if (child == null) {
      return false;
    }
    final FieldPath childPath = at.child(element);
    final boolean removeChild = i == elements.size() - 1
        || remove(child, elements, i + 1, childPath, childNames, keepEmpty) && child.size() == 0
            && !keepEmpty.test(childPath);
    if (!removeChild) {
      return false;
    }
    if (index >= 0) {
      ((ArrayNode) node).remove(index);
    } else {
      ((ObjectNode) node).remove(element.substring(2));
    }
    return true;
  }

  // ---------------------------------------------------------------- list items

  /** Items by their FieldsV1 element, in order; null for an atomic list or a node that is no list. */
  private Map<String, JsonNode> items(JsonNode list, List<String> names) {
    if (list == null) {
      return new LinkedHashMap<>();
    }
    if (!list.isArray()) {
      return null;
    }
    final List<String> elements = itemElements((ArrayNode) list, names);
    if (elements == null) {
      return null;
    }
    final Map<String, JsonNode> items = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      items.put(elements.get(i), list.get(i));
    }
    return items;
  }

  /**
   * {@code k:{"name":"web"}} (keys in name order, a missing key with a schema default takes it) or
   * {@code v:"value"} per item; null when the list is atomic, or when an item lacks a key or repeats one (the real
   * server rejects those; the rig treats the list as atomic).
   */
  private List<String> itemElements(ArrayNode list, List<String> names) {
    final ApplySchema.ListType type = schema.list(names);
    if (type.kind() == ApplySchema.ListKind.ATOMIC) {
      return null;
    }
    final List<String> elements = new ArrayList<>();
    for (JsonNode item : list) {
      if (type.kind() == ApplySchema.ListKind.SET) {
        elements.add("v:" + item);
        continue;
      }
      if (!item.isObject()) {
        return null;
      }
      final ObjectNode key = JsonNodeFactory.instance.objectNode();
      for (String k : new TreeSet<>(type.keys())) {
        final JsonNode value = item.get(k);
        if (value == null && !ApplySchema.KEY_DEFAULTS.containsKey(k)) {
          return null;
        }
        key.set(k, value != null ? value : TextNode.valueOf(ApplySchema.KEY_DEFAULTS.get(k)));
      }
      elements.add("k:" + key);
    }
    return new HashSet<>(elements).size() == elements.size() ? elements : null;
  }

  private static List<String> with(List<String> names, String name) {
    final List<String> next = new ArrayList<>(names);
    next.add(name);
    return next;
  }
}
