package dev.llmstack.sample;

import org.junit.jupiter.api.Test;

/** Qdrant (dev-qdrant:6333, HTTP). */
class QdrantIT {

  @Test
  void isReady() throws Exception {
    Stack.get(Stack.endpoint("qdrantUrl") + "/readyz");
  }
}
