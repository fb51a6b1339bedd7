package dev.llmstack.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpWireLogTest {

  private static final String WIRE = "org.apache.hc.client5.http.wire";
  private static final String HEADERS = "org.apache.hc.client5.http.headers";

  @AfterEach
  void clear() {
    for (String logger : HttpWireLog.LOGGERS) {
      System.clearProperty(LibraryLogs.MAVEN_3 + logger);
      System.clearProperty(LibraryLogs.MAVEN_4 + logger);
    }
  }

  @Test
  @DisplayName("sets both Mavens' keys, so Maven 4 finds its own and does not warn about the old one")
  void bothKeys() {
    clear();

    HttpWireLog.quiet();

    for (String logger : new String[] {WIRE, HEADERS}) {
      assertThat(System.getProperty("maven.logger.log." + logger)).isEqualTo("info");
      assertThat(System.getProperty("org.slf4j.simpleLogger.log." + logger)).isEqualTo("info");
    }
  }

  @Test
  @DisplayName("keeps a level the user set under either key, for both Mavens")
  void keepsTheUsersLevel() {
    clear();
    System.setProperty("maven.logger.log." + WIRE, "debug");
    System.setProperty("org.slf4j.simpleLogger.log." + HEADERS, "trace");

    HttpWireLog.quiet();

    assertThat(System.getProperty("maven.logger.log." + WIRE)).isEqualTo("debug");
    assertThat(System.getProperty("org.slf4j.simpleLogger.log." + WIRE)).isEqualTo("debug");
    assertThat(System.getProperty("org.slf4j.simpleLogger.log." + HEADERS)).isEqualTo("trace");
    assertThat(System.getProperty("maven.logger.log." + HEADERS)).isEqualTo("trace");
  }
}
