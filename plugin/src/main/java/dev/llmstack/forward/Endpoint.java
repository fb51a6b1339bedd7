package dev.llmstack.forward;

/**
 * One forwarded service port, as exported to the build: {@code llmstack.<service>.host/.port/.url}.
 *
 * @param service logical name ({@code litellm}, not {@code dev-litellm})
 * @param serviceName the Service object's name
 * @param portName the service port's name, or null
 */
public record Endpoint(String service, String serviceName, String portName, String host, int localPort, int servicePort) {

  /** A URL a client library takes: postgresql:// and redis:// for theirs, http:// otherwise. */
  public String url() {
    String scheme = switch (servicePort) {
      case 5432 -> "postgresql";
      case 6379 -> "redis";
      default -> "http";
    };
    return scheme + "://" + host + ":" + localPort;
  }
}
