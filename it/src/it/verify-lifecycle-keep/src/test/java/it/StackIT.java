package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What a service repo's integration test does: talk to the stack through the forwarded URLs. */
class StackIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private String get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url);
    return response.body();
  }

  @Test
  void webAnswersThroughTheForwardOnItsNamedTargetPort() throws Exception {
    String body = get(System.getProperty("webUrl") + "/hello");
    // The simulated pod answers with its name and the port the request reached (targetPort 'http' = 8080).
    assertTrue(body.contains("\"pod\":\"dev-web-"), body);
    assertTrue(body.contains("\"port\":8080"), body);
    assertTrue(body.contains("\"path\":\"/hello\""), body);
  }

  @Test
  void apiAnswersOnItsNumericTargetPort() throws Exception {
    String body = get(System.getProperty("apiUrl") + "/ping");
    assertTrue(body.contains("\"pod\":\"dev-api-"), body);
    assertTrue(body.contains("\"port\":9000"), body);
    assertEquals("18101", System.getProperty("apiPort"));
  }
}
