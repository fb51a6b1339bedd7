package dev.llmstack.config;

import dev.llmstack.deploy.StackDeployment;
import java.io.File;
import java.util.List;

/**
 * A deploy: the overlay, where it goes, and the build that comes before it.
 *
 * @param build the images to build first; null when none are configured
 * @param skipBuild use the last build's record ({@code images.json}) instead of building
 */
public record DeployConfig(StackDeployment.Request request, BuildConfig build, boolean skipBuild) {

  public static DeployConfig of(
      StackTarget target, File overlay, String kustomizeExecutable, int timeoutSeconds, boolean forceApply, List<String> adopt,
      String tooling, BuildConfig build, boolean skipBuild) {
    return new DeployConfig(
        new StackDeployment.Request(
            overlay.toPath(),
            Values.text(kustomizeExecutable),
            target.stack(),
            target.namespace(),
            target.cluster(),
            Durations.seconds(timeoutSeconds, "<timeout> (-Dllmstack.timeout)"),
            tooling,
            forceApply,
            Values.list(adopt)),
        build,
        skipBuild);
  }

  public StackTarget target() {
    return new StackTarget(request.stack(), request.namespace(), request.cluster());
  }
}
