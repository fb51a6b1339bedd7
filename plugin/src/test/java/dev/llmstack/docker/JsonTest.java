package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  @DisplayName("parses objects, arrays, strings with escapes, numbers, booleans and null")
  void parses() throws Exception {
    Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, 12345678901234567890], \"s\": \"x\\\"y\\\\z\\n\\u00e9\\/\","
        + " \"t\": true, \"f\": false, \"n\": null, \"o\": {}} ");

    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.keySet()).containsExactly("a", "s", "t", "f", "n", "o");
    List<?> a = (List<?>) m.get("a");
    assertThat(a.get(0)).isEqualTo(1L);
    assertThat(a.get(1)).isEqualTo(-2L);
    assertThat(a.get(2)).isEqualTo(3.5);
    assertThat(a.get(3)).isEqualTo(1000.0);
    assertThat(a.get(4)).isInstanceOf(java.math.BigDecimal.class);
    assertThat(m.get("s")).isEqualTo("x\"y\\z\né/");
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.get("f")).isEqualTo(false);
    assertThat(m.containsKey("n")).isTrue();
    assertThat(m.get("n")).isNull();
    assertThat(Json.object(v, "o")).isEmpty();
  }

  @Test
  @DisplayName("navigates with defaults for what is missing or of another type")
  void navigates() throws Exception {
    Object v = Json.parse("{\"meta\": {\"labels\": {\"a\": \"1\", \"b\": 2}, \"gen\": 7}, \"items\": [1]}");

    assertThat(Json.strings(Json.object(v, "meta"), "labels")).containsExactly(Map.entry("a", "1"));
    assertThat(Json.number(Json.object(v, "meta"), "gen")).isEqualTo(7L);
    assertThat(Json.string(v, "meta")).isNull();
    assertThat(Json.array(v, "items")).containsExactly(1L);
    assertThat(Json.array(v, "nope")).isEmpty();
    assertThat(Json.object("not a map", "x")).isEmpty();
  }

  @Test
  @DisplayName("writes what it reads back, compact and indented, escaping control characters")
  void roundTrip() throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", "a\"b\\c\n\t\u0001");
    o.put("n", 42L);
    o.put("d", 0.25);
    o.put("yes", true);
    o.put("none", null);
    o.put("list", List.of(1L, "two", Map.of()));
    o.put("empty", List.of());

    assertThat(Json.parse(Json.write(o))).isEqualTo(o);
    assertThat(Json.parse(Json.writePretty(o))).isEqualTo(o);
    assertThat(Json.writePretty(Map.of("a", 1L))).isEqualTo("{\n  \"a\" : 1\n}\n");
    assertThat(Json.write(Double.NaN)).isEqualTo("null");
  }

  @Test
  @DisplayName("rejects what is not JSON, naming the offset")
  void rejects() {
    for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "nul", "\"open", "{\"a\":1} x", "{'a':1}", "01x")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.SyntaxException.class)
          .hasMessageContaining("Invalid JSON at offset");
    }
    assertThatThrownBy(() -> Json.parse("[".repeat(1000))).isInstanceOf(Json.SyntaxException.class);
  }

  @Test
  @DisplayName("reads a stream of concatenated values, as the Docker Engine's progress streams are")
  void stream() throws Exception {
    List<Object> seen = new ArrayList<>();
    Json.parseStream(
        new ByteArrayInputStream("{\"stream\":\"a\"}\r\n{\"error\":\"b\"}{\"x\":1}\n".getBytes(StandardCharsets.UTF_8)),
        seen::add);

    assertThat(seen).hasSize(3);
    assertThat(Json.string(seen.get(1), "error")).isEqualTo("b");
  }
}
