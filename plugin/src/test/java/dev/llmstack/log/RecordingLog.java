package dev.llmstack.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A BuildLog that keeps what it is told, by level. */
public final class RecordingLog implements BuildLog {

  // Synchronized: the dev loop logs from its own thread while a test reads.
  public final List<String> infos = Collections.synchronizedList(new ArrayList<>());
  public final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  public final List<String> debugs = Collections.synchronizedList(new ArrayList<>());
  public final List<String> errors = Collections.synchronizedList(new ArrayList<>());

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
