package dev.llmstack.config;

import dev.llmstack.minikube.Preflight;
import dev.llmstack.image.ImageSpec;
import java.io.File;
import java.util.List;

/** {@code llmstack:check}: what build and deploy would fail on, asked of the same places they ask. */
public record CheckConfig(Preflight.Request request, StackTarget target, List<ImageSpec> images) {

  public CheckConfig {
    images = List.copyOf(images);
  }

  /** @param build where images would go; {@code buildsImages} whether build would run at all */
  public static CheckConfig of(BuildConfig build, boolean buildsImages, StackTarget target, File overlay, String kustomizeExecutable) {
    return new CheckConfig(
        new Preflight.Request(build.destination(), buildsImages, target.cluster(), overlay.toPath(), Values.text(kustomizeExecutable)),
        target,
        build.images());
  }
}
