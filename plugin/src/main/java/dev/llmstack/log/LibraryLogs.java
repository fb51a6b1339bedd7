package dev.llmstack.log;

/**
 * Levels for the loggers of the libraries the plugin runs, set before they log anything: Maven's
 * logger reads a logger's level from system properties when the logger is made. Maven 3 reads
 * {@code org.slf4j.simpleLogger.log.<logger>}; Maven 4 reads {@code maven.logger.log.<logger>} and
 * falls back to the old key only with a deprecation warning. Both keys are set, so each Maven finds
 * its own; a level the user set under either key is kept (and copied to the other).
 */
public final class LibraryLogs {

  static final String MAVEN_3 = "org.slf4j.simpleLogger.log.";
  static final String MAVEN_4 = "maven.logger.log.";

  private LibraryLogs() {}

  /** Sets the logger's level unless the user set one. */
  public static void level(String logger, String level) {
    String old = System.getProperty(MAVEN_3 + logger);
    String current = System.getProperty(MAVEN_4 + logger);
    String chosen = current != null ? current : old != null ? old : level;
    if (current == null) {
      System.setProperty(MAVEN_4 + logger, chosen);
    }
    if (old == null) {
      System.setProperty(MAVEN_3 + logger, chosen);
    }
  }

  /**
   * fabric8's informers report a lost API server as they retry, with stack traces (ERROR
   * "listSyncAndWatch failed ..."): the goal's own message says what happened once. With
   * {@code -X} they are shown as fabric8 writes them.
   */
  public static void quietClusterClient(boolean debug) {
    if (!debug) {
      level("io.fabric8.kubernetes.client", "off");
    }
  }
}
