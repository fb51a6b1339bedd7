package dev.llmstack.config;

import java.time.Duration;

/**
 * Removing the stack.
 *
 * @param deleteVolumes also delete its PersistentVolumeClaims (and so its data)
 * @param timeout how long to wait until everything is gone
 * @param tooling the ApplySet tooling annotation of a record kept for claims left behind
 */
public record UndeployConfig(StackTarget target, boolean deleteVolumes, Duration timeout, String tooling) {

  public static UndeployConfig of(StackTarget target, boolean deleteVolumes, int timeoutSeconds, String tooling) {
    return new UndeployConfig(target, deleteVolumes, Durations.seconds(timeoutSeconds, "<timeout> (-Dllmstack.timeout)"), tooling);
  }
}
