package dev.llmstack.error;

/** The configuration was fine, but the stack (an image build, a workload) failed. */
public class StackFailureException extends LlmstackException {

  public StackFailureException(String problem, String fix) {
    this(problem, fix, null);
  }

  public StackFailureException(String problem, String fix, Throwable cause) {
    super(problem, fix, cause);
  }
}
