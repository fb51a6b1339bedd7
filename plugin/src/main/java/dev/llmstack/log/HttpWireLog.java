package dev.llmstack.log;

/**
 * Keeps HttpClient 5's wire and header logs out of {@code mvn -X}: at debug level it logs every
 * header (an API server's bearer token) and every byte (a Secret's data, gigabytes of image
 * layers). Maven's logger reads a logger's level from the system properties when the logger is
 * made, so this must run before HttpClient's first connection. HttpClient's other debug lines
 * (requests, connections) stay. {@link LibraryLogs} sets the level so that Maven 3 and Maven 4
 * both read it (Maven 4.0.0-rc-4 reads maven.logger.log.* first and falls back to the old key only
 * with a deprecation warning, maven-logging's SimpleLoggerConfiguration.getStringProperty).
 */
public final class HttpWireLog {

  static final String[] LOGGERS = {"org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers"};

  private HttpWireLog() {}

  public static void quiet() {
    for (String logger : LOGGERS) {
      LibraryLogs.level(logger, "info");
    }
  }
}
