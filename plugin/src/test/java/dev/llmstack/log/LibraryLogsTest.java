package dev.llmstack.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LibraryLogsTest {

  private static final String LOGGER = "dev.llmstack.test.library";

  @AfterEach
  void clear() {
    System.clearProperty(LibraryLogs.MAVEN_3 + LOGGER);
    System.clearProperty(LibraryLogs.MAVEN_4 + LOGGER);
  }

  @Test
  @DisplayName("a level is set under Maven 3's and Maven 4's keys, so neither Maven warns or misses it")
  void bothKeys() {
    LibraryLogs.level(LOGGER, "off");

    assertThat(System.getProperty(LibraryLogs.MAVEN_3 + LOGGER)).isEqualTo("off");
    assertThat(System.getProperty(LibraryLogs.MAVEN_4 + LOGGER)).isEqualTo("off");
  }

  @Test
  @DisplayName("a level the user set under either key wins, and is copied to the other")
  void usersLevelKept() {
    System.setProperty(LibraryLogs.MAVEN_3 + LOGGER, "debug");

    LibraryLogs.level(LOGGER, "off");

    assertThat(System.getProperty(LibraryLogs.MAVEN_3 + LOGGER)).isEqualTo("debug");
    assertThat(System.getProperty(LibraryLogs.MAVEN_4 + LOGGER)).isEqualTo("debug");
  }
}
