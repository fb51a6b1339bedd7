package dev.llmstack.config;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

/**
 * Port-forwards to the stack's Services.
 *
 * @param services logical names to forward; empty for all of the stack's
 * @param anyPort take a free local port when a service's own port is busy
 * @param endpointsFile where the endpoints are written ({@code endpoints.properties})
 */
public record ForwardConfig(StackTarget target, List<String> services, boolean anyPort, Path endpointsFile) {

  public static ForwardConfig of(StackTarget target, List<String> services, boolean anyPort, File outputDirectory) {
    return new ForwardConfig(target, Values.list(services), anyPort, outputDirectory.toPath().resolve("endpoints.properties"));
  }
}
