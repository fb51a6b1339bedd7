package dev.llmstack.log;

/**
 * Keeps HttpClient 5's wire and header logs out of {@code mvn -X}: at debug level it logs every
 * header (an API server's bearer token) and every byte (a Secret's data, gigabytes of image
 * layers). Maven's logger reads a logger's level from the system properties when the logger is
 * made, so this must run before HttpClient's first connection; a level the user set is kept.
 * HttpClient's other debug lines (requests, connections) stay.
 */
public final class HttpWireLog {

  private static final String[] LOGGERS = {"org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers"};

  private HttpWireLog() {}

  public static void quiet() {
    for (String logger : LOGGERS) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "info");
      }
    }
  }
}
