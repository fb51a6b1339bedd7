package dev.llmstack.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A BuildLog that keeps what it is told, by level. */
public final class RecordingLog implements BuildLog {

  // Copy-on-write: the dev loop logs from its own thread while a test iterates.
  public final List<String> infos = new CopyOnWriteArrayList<>();
  public final List<String> warnings = new CopyOnWriteArrayList<>();
  public final List<String> debugs = new CopyOnWriteArrayList<>();
  public final List<String> errors = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    infos.add(message);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  @Override
  public void error(String message) {
    errors.add(message);
  }

  @Override
  public void debug(String message) {
    debugs.add(message);
  }
}
