package dev.llmstack.config;

import dev.llmstack.minikube.Preflight;
import java.io.File;

/** {@code llmstack:check}: what build and deploy would fail on, asked of the same places they ask. */
public record CheckConfig(Preflight.Request request, StackTarget target) {

  /** @param build where images would go; {@code buildsImages} whether build would run at all */
  public static CheckConfig of(BuildConfig build, boolean buildsImages, StackTarget target, File overlay, String kustomizeExecutable) {
    return new CheckConfig(
        new Preflight.Request(build.destination(), buildsImages, target.cluster(), overlay.toPath(), Values.text(kustomizeExecutable)),
        target);
  }
}
