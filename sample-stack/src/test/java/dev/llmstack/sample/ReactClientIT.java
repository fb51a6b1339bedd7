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
    // The page talks to Open WebUI through its own nginx (/api/ proxied, key added), so config.js names the page's
    // origin + /api and says the page needs no key.
    String config = Stack.get(Stack.endpoint("reactClientUrl") + "/config.js");
    assertTrue(config.contains("window.location.origin + \"/api\""), config);
    assertTrue(config.contains("apiKeyFromServer: true"), config);
  }

  @Test
  void openWebUiAnswersThroughThePagesOriginWithTheKeyNginxAdds() throws Exception {
    // No key sent here: nginx adds the dev overlay's openwebui-secret, which Open WebUI's image registered at start
    // (Stack.get fails on a status other than 200).
    String models = Stack.get(Stack.endpoint("reactClientUrl") + "/api/models");
    assertTrue(models.contains("\"data\""), models);
  }
}
