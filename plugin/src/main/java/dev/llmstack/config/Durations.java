package dev.llmstack.config;

import dev.llmstack.error.ConfigurationException;
import java.time.Duration;

/** Time parameters given in whole seconds or milliseconds. */
final class Durations {

  private Durations() {}

  /** @param parameter as the user writes it: {@code <timeout> (-Dllmstack.timeout)} */
  static Duration seconds(int value, String parameter) {
    return Duration.ofSeconds(positive(value, parameter, "seconds"));
  }

  static Duration millis(int value, String parameter) {
    return Duration.ofMillis(positive(value, parameter, "milliseconds"));
  }

  private static int positive(int value, String parameter, String unit) {
    if (value <= 0) {
      throw new ConfigurationException(parameter + " is " + value + ".", "Give it a number of " + unit + " above 0.");
    }
    return value;
  }
}
