package dev.llmstack.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code <devCommand>} of an {@code <image>}: what {@code llmstack:dev} runs when its sources change. */
public class DevCommandParameter {

  /** The program and its arguments, split at spaces (no shell), e.g. {@code npm run build}. */
  String command;

  /** Working directory; default the project's base directory. */
  File directory;

  /** Files or directories (relative to the project) whose changes re-run the command. */
  List<String> watch = new ArrayList<>();
}
