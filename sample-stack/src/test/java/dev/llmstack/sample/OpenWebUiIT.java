package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Open WebUI (dev-openwebui:8080). */
class OpenWebUiIT {

  @Test
  void healthReportsTrue() throws Exception {
    String body = Stack.get(Stack.endpoint("openwebuiUrl") + "/health");
    assertTrue(body.replace(" ", "").contains("\"status\":true"), body);
  }
}
