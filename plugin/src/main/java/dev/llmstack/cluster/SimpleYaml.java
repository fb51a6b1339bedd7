package dev.llmstack.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The block-style YAML that kubectl, minikube and kind write kubeconfigs in — mappings, sequences
 * (also at their key's indentation), plain and quoted scalars, empty {@code {}} and {@code []},
 * comments — read in a fraction of SnakeYAML's start-up. Anything beyond that (flow collections,
 * anchors, tags, block scalars, multi-line scalars, several documents) is {@link Unsupported}, and
 * the caller reads the file with SnakeYAML instead. Scalars are strings, except {@code true} /
 * {@code false} (booleans) and {@code null} or nothing (null); numbers stay strings.
 */
final class SimpleYaml {

  /** The text uses YAML this reader does not handle; a full parser must read it. */
  static final class Unsupported extends Exception {
    Unsupported(String what, int line) {
      super(what + " (line " + (line + 1) + ")");
    }
  }

  private record Line(int number, int indent, String text) {}

  private final List<Line> lines = new ArrayList<>();
  private int next;

  private SimpleYaml(String yaml) throws Unsupported {
    String[] raw = yaml.split("\r?\n", -1);
    boolean started = false;
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i];
      int indent = 0;
      while (indent < l.length() && l.charAt(indent) == ' ') {
        indent++;
      }
      String text = l.substring(indent);
      if (text.startsWith("\t")) {
        throw new Unsupported("tab indentation", i);
      }
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (indent == 0 && (text.equals("---") || text.startsWith("--- ") || text.startsWith("%") || text.equals("..."))) {
        if (started || !text.startsWith("---") || !stripComment(text.substring(3)).isEmpty()) {
          throw new Unsupported("document markers or directives", i);
        }
        started = true;
        continue;
      }
      started = true;
      lines.add(new Line(i, indent, text));
    }
  }

  /** The document: a map, a list, a scalar, or null when empty. */
  static Object parse(String yaml) throws Unsupported {
    SimpleYaml p = new SimpleYaml(yaml);
    if (p.lines.isEmpty()) {
      return null;
    }
    Object root = p.node(p.lines.get(0).indent());
    if (p.next < p.lines.size()) {
      throw new Unsupported("unexpected indentation", p.lines.get(p.next).number());
    }
    return root;
  }

  private Object node(int indent) throws Unsupported {
    Line first = lines.get(next);
    if (first.indent() != indent) {
      throw new Unsupported("unexpected indentation", first.number());
    }
    if (isItem(first.text())) {
      return sequence(indent);
    }
    if (keyEnd(first.text(), first.number()) < 0) {
      next++;
      return scalar(first.text(), first.number());
    }
    return mapping(indent);
  }

  private static boolean isItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  private List<Object> sequence(int indent) throws Unsupported {
    List<Object> items = new ArrayList<>();
    while (next < lines.size() && lines.get(next).indent() == indent && isItem(lines.get(next).text())) {
      Line line = lines.get(next);
      int offset = 1;
      while (offset < line.text().length() && line.text().charAt(offset) == ' ') {
        offset++;
      }
      String rest = line.text().substring(offset);
      if (rest.isEmpty() || rest.startsWith("#")) {
        next++;
        items.add(child(indent, line.number()));
      } else if (isItem(rest)) {
        throw new Unsupported("nested sequence on one line", line.number());
      } else if (keyEnd(rest, line.number()) >= 0) {
        // "- key: value": a mapping whose entries are indented like that first key
        lines.set(next, new Line(line.number(), indent + offset, rest));
        items.add(mapping(indent + offset));
      } else {
        next++;
        items.add(scalar(rest, line.number()));
      }
    }
    return items;
  }

  private Map<String, Object> mapping(int indent) throws Unsupported {
    Map<String, Object> map = new LinkedHashMap<>();
    while (next < lines.size() && lines.get(next).indent() == indent && !isItem(lines.get(next).text())) {
      Line line = lines.get(next);
      int end = keyEnd(line.text(), line.number());
      if (end < 0) {
        throw new Unsupported("expected 'key: value'", line.number());
      }
      String key = key(line.text().substring(0, end), line.number());
      String rest = stripComment(line.text().substring(end + 1));
      next++;
      Object value;
      if (!rest.isEmpty()) {
        value = scalar(rest, line.number());
      } else if (next < lines.size() && lines.get(next).indent() == indent && isItem(lines.get(next).text())) {
        value = sequence(indent); // "key:" then "- item" at the key's own indentation
      } else {
        value = child(indent, line.number());
      }
      if (map.containsKey(key)) {
        throw new Unsupported("duplicate key " + key, line.number());
      }
      map.put(key, value);
    }
    return map;
  }

  /** The more-indented block after a line, or null when there is none. */
  private Object child(int indent, int lineNumber) throws Unsupported {
    if (next < lines.size() && lines.get(next).indent() > indent) {
      return node(lines.get(next).indent());
    }
    return null;
  }

  /** Where the key's ':' is (followed by a space or the end), or -1 when the line is no mapping entry. */
  private static int keyEnd(String text, int lineNumber) throws Unsupported {
    char c = text.charAt(0);
    if (c == '"' || c == '\'') {
      int close = closingQuote(text, c, lineNumber);
      return close + 1 < text.length() && text.charAt(close + 1) == ':'
          && (close + 2 == text.length() || text.charAt(close + 2) == ' ') ? close + 1 : -1;
    }
    if ("?&*!|>{[%@`".indexOf(c) >= 0) {
      throw new Unsupported("YAML beyond plain block style", lineNumber);
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        return i;
      }
      if (text.charAt(i) == '#' && i > 0 && text.charAt(i - 1) == ' ') {
        return -1;
      }
    }
    return -1;
  }

  private static String key(String raw, int lineNumber) throws Unsupported {
    Object key = scalar(raw.strip(), lineNumber);
    if (!(key instanceof String s)) {
      throw new Unsupported("a key that is not a string", lineNumber);
    }
    return s;
  }

  private static Object scalar(String text, int lineNumber) throws Unsupported {
    char c = text.charAt(0);
    if (c == '"' || c == '\'') {
      int close = closingQuote(text, c, lineNumber);
      if (!stripComment(text.substring(close + 1)).isEmpty()) {
        throw new Unsupported("text after a quoted scalar", lineNumber);
      }
      String inner = text.substring(1, close);
      return c == '\'' ? inner.replace("''", "'") : unescape(inner, lineNumber);
    }
    String plain = stripComment(text);
    if (plain.equals("{}")) {
      return new LinkedHashMap<String, Object>();
    }
    if (plain.equals("[]")) {
      return new ArrayList<>();
    }
    if ("&*!|>{[%@`?".indexOf(c) >= 0 || (c == '-' && (plain.length() == 1 || plain.charAt(1) == ' '))) {
      throw new Unsupported("YAML beyond plain block style", lineNumber);
    }
    if (plain.contains(": ") || plain.endsWith(":")) {
      throw new Unsupported("a mapping inside a scalar", lineNumber);
    }
    // SnakeYAML's default (JSON) schema for what kubeconfigs hold: true, false, null; all else a string
    switch (plain) {
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      case "null", "":
        return null;
      default:
        return plain;
    }
  }

  private static int closingQuote(String text, char quote, int lineNumber) throws Unsupported {
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '"' && c == '\\') {
        i++;
      } else if (c == quote) {
        if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          i++;
        } else {
          return i;
        }
      }
    }
    throw new Unsupported("a quoted scalar over several lines", lineNumber);
  }

  private static String unescape(String s, int lineNumber) throws Unsupported {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '0' -> out.append('\0');
        case 'u' -> {
          if (i + 4 >= s.length()) {
            throw new Unsupported("a bad escape", lineNumber);
          }
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new Unsupported("an escape this reader does not know", lineNumber);
      }
    }
    return out.toString();
  }

  /** A plain value without its trailing comment ({@code " #..."}) and surrounding blanks. */
  private static String stripComment(String text) {
    int hash = text.indexOf(" #");
    return (hash >= 0 ? text.substring(0, hash) : text.startsWith("#") ? "" : text).strip();
  }
}
