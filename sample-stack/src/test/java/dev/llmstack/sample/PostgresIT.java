package dev.llmstack.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** PostgreSQL (dev-postgres:5432): r2r_db exists, with the vector extension (image's init SQL). */
class PostgresIT {

  @Test
  void r2rDatabaseAnswersAndHasTheVectorExtension() throws Exception {
    String url = "jdbc:postgresql://" + Stack.endpoint("postgresHost") + ":" + Stack.endpoint("postgresPort") + "/r2r_db";
    try (Connection db = DriverManager.getConnection(url, "postgres", Stack.endpoint("postgresPassword"));
        Statement sql = db.createStatement()) {
      try (ResultSet one = sql.executeQuery("SELECT 1")) {
        assertTrue(one.next());
        assertEquals(1, one.getInt(1));
      }
      try (ResultSet vector = sql.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")) {
        assertTrue(vector.next());
        assertEquals(1, vector.getInt(1), "CREATE EXTENSION vector did not run in r2r_db");
      }
    }
  }
}
