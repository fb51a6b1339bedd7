package dev.llmstack.log;

import java.util.ArrayList;
import java.util.List;

/** A BuildLog that keeps what it is told, by level. */
public final class RecordingLog implements BuildLog {

  public final List<String> infos = new ArrayList<>();
  public final List<String> warnings = new ArrayList<>();
  public final List<String> debugs = new ArrayList<>();

  @Override
  public void info(String message) {
    infos.add(message);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  @Override
  public void debug(String message) {
    debugs.add(message);
  }
}
