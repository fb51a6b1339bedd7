package dev.llmstack.sample;

import org.junit.jupiter.api.Test;

/** R2R (dev-r2r:7272): up once PostgreSQL and Qdrant were. */
class R2rIT {

  @Test
  void healthAnswers() throws Exception {
    Stack.get(Stack.endpoint("r2rUrl") + "/v3/health");
  }
}
