package dev.llmstack.sample;

import org.junit.jupiter.api.Test;

/** LiteLLM proxy (dev-litellm:4000): /health answers with the master key. */
class LiteLlmIT {

  @Test
  void healthAnswersWithTheMasterKey() throws Exception {
    Stack.get(Stack.endpoint("litellmUrl") + "/health",
        "Authorization", "Bearer " + Stack.endpoint("litellmMasterKey"));
  }
}
