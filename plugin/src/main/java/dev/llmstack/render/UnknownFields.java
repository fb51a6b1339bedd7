package dev.llmstack.render;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds fields fabric8 did not recognise: its model classes keep them in
 * {@code additionalProperties} instead of failing, so a typo would silently vanish.
 */
final class UnknownFields {

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  /** The path of the first unknown field, e.g. {@code spec.template.spec.containers[0].imagePullPolcy}. */
  static Optional<String> first(Object object) {
    return walk(object, "", new IdentityHashMap<>());
  }

  private static Optional<String> walk(Object value, String path, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return Optional.empty();
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        Optional<String> found = walk(item, path + "[" + i++ + "]", seen);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Optional<String> found = walk(e.getValue(), path + "." + e.getKey(), seen);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
    if (!value.getClass().getName().startsWith(MODEL_PACKAGE)) {
      return Optional.empty();
    }
    for (Method getter : getters(value.getClass())) {
      Object child;
      try {
        child = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          return Optional.of(join(path, String.valueOf(extra.keySet().iterator().next())));
        }
        continue;
      }
      Optional<String> found = walk(child, join(path, propertyName(getter)), seen);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static List<Method> getters(Class<?> type) {
    return java.util.Arrays.stream(type.getMethods())
        .filter(m -> m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getName().startsWith("get") && !m.getName().equals("getClass"))
        .filter(m -> !m.getReturnType().isPrimitive() && m.getReturnType() != String.class)
        .toList();
  }

  private static String propertyName(Method getter) {
    String n = getter.getName().substring(3);
    return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
