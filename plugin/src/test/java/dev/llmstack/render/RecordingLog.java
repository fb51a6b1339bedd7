package dev.llmstack.render;

import dev.llmstack.log.BuildLog;
import java.util.ArrayList;
import java.util.List;

/** A BuildLog that keeps what it is told, by level. */
final class RecordingLog implements BuildLog {

  final List<String> infos = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  final List<String> debugs = new ArrayList<>();

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
