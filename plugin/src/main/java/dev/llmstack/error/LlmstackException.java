package dev.llmstack.error;

/**
 * A failure the user can act on: one sentence naming the cause, one naming the fix. The Maven layer
 * prints {@link #getMessage()} without a stack trace (unless {@code -e}).
 */
public abstract class LlmstackException extends RuntimeException {

  private final String problem;
  private final String fix;

  protected LlmstackException(String problem, String fix, Throwable cause) {
    super(fix == null || fix.isBlank() ? problem : problem + " " + fix, cause);
    this.problem = problem;
    this.fix = fix;
  }

  /** What went wrong. */
  public String problem() {
    return problem;
  }

  /** What to do about it. */
  public String fix() {
    return fix;
  }
}
