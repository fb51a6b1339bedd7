package dev.llmstack.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the plugin's paths that must stay light (the no-change build
 * and deploy checks): a few hundred classes less than Jackson, whose start-up is a good part of a
 * no-change goal. Objects are {@code Map<String, Object>} (insertion order), arrays {@code
 * List<Object>}, numbers {@code Long} (integral, in range) or {@code Double} (else {@code
 * BigDecimal}), strings, booleans and {@code null}.
 */
public final class Json {

  private Json() {}

  /** One JSON value; anything after it but whitespace is an error. */
  public static Object parse(String text) throws SyntaxException {
    try {
      Parser p = new Parser(new java.io.StringReader(text));
      Object value = p.value();
      p.skipWhitespace();
      if (p.peek() != -1) {
        throw p.error("unexpected content after the value");
      }
      return value;
    } catch (SyntaxException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
  }

  /** One JSON value read from a stream (UTF-8); the stream is not closed. */
  public static Object parse(InputStream in) throws IOException {
    Parser p = new Parser(new InputStreamReader(in, StandardCharsets.UTF_8));
    Object value = p.value();
    p.skipWhitespace();
    if (p.peek() != -1) {
      throw p.error("unexpected content after the value");
    }
    return value;
  }

  /**
   * Reads a stream of concatenated JSON values (the Docker Engine's progress streams), handing each
   * to {@code each}.
   */
  public static void parseStream(InputStream in, java.util.function.Consumer<Object> each) throws IOException {
    Parser p = new Parser(new InputStreamReader(in, StandardCharsets.UTF_8));
    while (true) {
      p.skipWhitespace();
      if (p.peek() == -1) {
        return;
      }
      each.accept(p.value());
    }
  }

  /** Thrown for text that is not JSON. */
  public static final class SyntaxException extends IOException {
    SyntaxException(String message) {
      super(message);
    }
  }

  // ------------------------------------------------------------------ navigation

  /** The object at {@code key} of an object, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object from, String key) {
    Object v = from instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
  }

  /** The array at {@code key} of an object, or an empty list. */
  @SuppressWarnings("unchecked")
  public static List<Object> array(Object from, String key) {
    Object v = from instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof List<?> ? (List<Object>) v : List.of();
  }

  /** The string at {@code key}, or null when absent or not a string. */
  public static String string(Object from, String key) {
    Object v = from instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof String s ? s : null;
  }

  /** The integral number at {@code key}, or null when absent or not a number. */
  public static Long number(Object from, String key) {
    Object v = from instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof Number n ? n.longValue() : null;
  }

  /** The string-valued entries of the object at {@code key} (labels, annotations). */
  public static Map<String, String> strings(Object from, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    object(from, key).forEach((k, v) -> {
      if (v instanceof String s) {
        out.put(k, s);
      }
    });
    return out;
  }

  // ------------------------------------------------------------------ writing

  /** Compact JSON. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, -1, 0);
    return out.toString();
  }

  /** Indented JSON (two spaces), for files people read. */
  public static String writePretty(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 2, 0);
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object v, int indent, int depth) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      quote(out, s);
    } else if (v instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (v instanceof Number n) {
      out.append(n.toString());
    } else if (v instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "" : ",");
        first = false;
        newline(out, indent, depth + 1);
        quote(out, String.valueOf(e.getKey()));
        out.append(indent < 0 ? ":" : " : ");
        write(out, e.getValue(), indent, depth + 1);
      }
      if (!first) {
        newline(out, indent, depth);
      }
      out.append('}');
    } else if (v instanceof Collection<?> items) {
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        out.append(first ? "" : ",");
        first = false;
        newline(out, indent, depth + 1);
        write(out, item, indent, depth + 1);
      }
      if (!first) {
        newline(out, indent, depth);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + v.getClass().getName());
    }
  }

  private static void newline(StringBuilder out, int indent, int depth) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  // ------------------------------------------------------------------ parsing

  private static final class Parser {
    private final Reader in;
    private final char[] buffer = new char[8192];
    private int pos;
    private int limit;
    private long offset;
    private int depth;

    Parser(Reader in) {
      this.in = in;
    }

    int peek() throws IOException {
      if (pos == limit) {
        offset += limit;
        limit = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      return buffer[pos];
    }

    int next() throws IOException {
      int c = peek();
      if (c != -1) {
        pos++;
      }
      return c;
    }

    void skipWhitespace() throws IOException {
      for (int c = peek(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = peek()) {
        pos++;
      }
    }

    SyntaxException error(String what) {
      return new SyntaxException("Invalid JSON at offset " + (offset + pos) + ": " + what);
    }

    Object value() throws IOException {
      skipWhitespace();
      int c = peek();
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          pos++;
          return string();
        case 't':
          literal("true");
          return Boolean.TRUE;
        case 'f':
          literal("false");
          return Boolean.FALSE;
        case 'n':
          literal("null");
          return null;
        case -1:
          throw error("unexpected end");
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + (char) c + "'");
      }
    }

    private void enter() throws SyntaxException {
      if (++depth > 512) {
        throw error("nested too deeply");
      }
    }

    private Map<String, Object> object() throws IOException {
      enter();
      pos++; // {
      Map<String, Object> map = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        depth--;
        return map;
      }
      while (true) {
        skipWhitespace();
        if (next() != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipWhitespace();
        if (next() != ':') {
          throw error("expected ':'");
        }
        map.put(key, value());
        skipWhitespace();
        int c = next();
        if (c == '}') {
          depth--;
          return map;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array() throws IOException {
      enter();
      pos++; // [
      List<Object> list = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        depth--;
        return list;
      }
      while (true) {
        list.add(value());
        skipWhitespace();
        int c = next();
        if (c == ']') {
          depth--;
          return list;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() throws IOException {
      StringBuilder s = new StringBuilder();
      while (true) {
        int c = next();
        if (c == -1) {
          throw error("unterminated string");
        }
        if (c == '"') {
          return s.toString();
        }
        if (c == '\\') {
          int e = next();
          switch (e) {
            case '"', '\\', '/' -> s.append((char) e);
            case 'b' -> s.append('\b');
            case 'f' -> s.append('\f');
            case 'n' -> s.append('\n');
            case 'r' -> s.append('\r');
            case 't' -> s.append('\t');
            case 'u' -> {
              int code = 0;
              for (int i = 0; i < 4; i++) {
                int h = Character.digit(next(), 16);
                if (h < 0) {
                  throw error("bad \\u escape");
                }
                code = code * 16 + h;
              }
              s.append((char) code);
            }
            default -> throw error("bad escape");
          }
        } else if (c < 0x20) {
          throw error("control character in string");
        } else {
          s.append((char) c);
        }
      }
    }

    private Object number() throws IOException {
      StringBuilder n = new StringBuilder();
      boolean integral = true;
      for (int c = peek(); c != -1; c = peek()) {
        if ((c >= '0' && c <= '9') || c == '-') {
          n.append((char) c);
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+') {
          integral = false;
          n.append((char) c);
        } else {
          break;
        }
        pos++;
      }
      String text = n.toString();
      try {
        if (integral) {
          BigInteger big = new BigInteger(text);
          return big.bitLength() < 64 ? (Object) big.longValue() : new BigDecimal(big);
        }
        BigDecimal d = new BigDecimal(text);
        double asDouble = d.doubleValue();
        return Double.isFinite(asDouble) ? (Object) asDouble : d;
      } catch (NumberFormatException e) {
        throw error("bad number '" + text + "'");
      }
    }

    private void literal(String word) throws IOException {
      for (int i = 0; i < word.length(); i++) {
        if (next() != word.charAt(i)) {
          throw error("expected " + word);
        }
      }
    }
  }
}
