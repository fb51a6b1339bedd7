package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The stack as the smoke tests see it: endpoints from llmstack:forward, passed by failsafe. */
final class Stack {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Stack() {}

  /** A system property set by failsafe from llmstack:forward's properties; fails when forward did not run. */
  static String endpoint(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      fail("System property " + property + " is not set: llmstack:forward did not export it. "
          + "Run mvn verify (build, deploy and forward run before the smoke tests).");
    }
    return value;
  }

  /** GET, expecting 200; returns the body. */
  static String get(String url, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), () -> "GET " + url + " answered " + response.statusCode() + ": " + response.body());
    return response.body();
  }
}
