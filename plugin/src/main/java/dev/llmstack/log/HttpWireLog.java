package dev.llmstack.log;

/**
 * Keeps HttpClient 5's wire and header logs out of {@code mvn -X}: at debug level it logs every
 * header (an API server's bearer token) and every byte (a Secret's data, gigabytes of image
 * layers). Maven's logger reads a logger's level from the system properties when the logger is
 * made, so this must run before HttpClient's first connection. HttpClient's other debug lines
 * (requests, connections) stay.
 *
 * <p>Maven 3 reads {@code org.slf4j.simpleLogger.log.<logger>}; Maven 4 reads
 * {@code maven.logger.log.<logger>} first and falls back to the old key only with a deprecation
 * warning (maven-logging 4.0.0-rc-4, {@code SimpleLoggerConfiguration.getStringProperty}). Both
 * keys are set, so each Maven finds its own and neither warns. A level the user set under either
 * key is kept, and copied to the other so that both Mavens honour it.
 */
public final class HttpWireLog {

  static final String[] LOGGERS = {"org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers"};
  static final String MAVEN_3 = "org.slf4j.simpleLogger.log.";
  static final String MAVEN_4 = "maven.logger.log.";

  private HttpWireLog() {}

  public static void quiet() {
    for (String logger : LOGGERS) {
      String old = System.getProperty(MAVEN_3 + logger);
      String current = System.getProperty(MAVEN_4 + logger);
      String level = current != null ? current : old != null ? old : "info";
      if (current == null) {
        System.setProperty(MAVEN_4 + logger, level);
      }
      if (old == null) {
        System.setProperty(MAVEN_3 + logger, level);
      }
    }
  }
}
