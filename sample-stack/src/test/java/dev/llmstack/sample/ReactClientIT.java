package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** React client (dev-react-client:3000): nginx serves the app and the config written at start. */
class ReactClientIT {

  @Test
  void servesTheApp() throws Exception {
    String page = Stack.get(Stack.endpoint("reactClientUrl") + "/");
    assertTrue(page.contains("<div id=\"root\">"), page);
  }

  @Test
  void fallsBackToTheAppOnClientRoutes() throws Exception {
    String page = Stack.get(Stack.endpoint("reactClientUrl") + "/some/client/route");
    assertTrue(page.contains("<div id=\"root\">"), page);
  }

  @Test
  void configPointsAtTheSameOrigin() throws Exception {
    // The page talks to LiteLLM through its own nginx (/v1/ proxied), so config.js names the page's origin.
    String config = Stack.get(Stack.endpoint("reactClientUrl") + "/config.js");
    assertTrue(config.contains("window.location.origin"), config);
  }
}
