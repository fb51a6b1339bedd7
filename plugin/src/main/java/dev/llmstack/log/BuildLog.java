package dev.llmstack.log;

/** The few log levels the core needs; the Maven layer maps them to Maven's log. */
public interface BuildLog {

  void info(String message);

  void warn(String message);

  void debug(String message);

  /** A failure the goal survives (the dev loop keeps watching); a warning unless the log has errors. */
  default void error(String message) {
    warn(message);
  }

  /** A log that drops everything, for tests and quiet helpers. */
  static BuildLog silent() {
    return new BuildLog() {
      @Override
      public void info(String message) {}

      @Override
      public void warn(String message) {}

      @Override
      public void debug(String message) {}
    };
  }
}
