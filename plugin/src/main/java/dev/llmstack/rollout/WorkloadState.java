package dev.llmstack.rollout;

/**
 * Where a workload stands: ready, waiting (and for what), or failed in a way that waiting will not
 * fix (then with the cause and the fix).
 */
public record WorkloadState(Kind kind, String detail, String fix) {

  public enum Kind { READY, WAITING, FAILED }

  public static WorkloadState ready() {
    return new WorkloadState(Kind.READY, "ready", null);
  }

  public static WorkloadState waiting(String forWhat) {
    return new WorkloadState(Kind.WAITING, forWhat, null);
  }

  public static WorkloadState failed(String cause, String fix) {
    return new WorkloadState(Kind.FAILED, cause, fix);
  }

  public boolean isReady() {
    return kind == Kind.READY;
  }

  public boolean isFailed() {
    return kind == Kind.FAILED;
  }
}
