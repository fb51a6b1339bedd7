package dev.llmstack.docker;

/** The Docker daemon answered a request with an error (its own message, e.g. "no space left on device"). */
public final class DaemonException extends RuntimeException {

  private final int status;

  public DaemonException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status, or 200 for an error reported inside a progress stream. */
  public int status() {
    return status;
  }
}
