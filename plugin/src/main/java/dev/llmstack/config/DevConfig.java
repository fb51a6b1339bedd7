package dev.llmstack.config;

import dev.llmstack.dev.DevImage;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code llmstack:dev}: the deploy it starts with, what it forwards, how it undeploys on Ctrl-C,
 * and what it watches.
 *
 * @param keep leave the stack running on Ctrl-C
 * @param manifests directory whose changes re-apply the stack
 * @param debounce quiet time that ends a batch of changes
 */
public record DevConfig(
    DeployConfig deploy, ForwardConfig forward, UndeployConfig undeploy, boolean keep,
    List<DevImage> images, Path basedir, Path manifests, Duration debounce) {

  public DevConfig {
    images = List.copyOf(images);
  }

  /**
   * @param manifests the directory to watch; null for the overlay's {@code k8s/} directory when the
   *     overlay is {@code .../overlays/<name>} (so its base is watched too), else the overlay
   */
  public static DevConfig of(DeployConfig deploy, ForwardConfig forward, UndeployConfig undeploy, boolean keep,
      List<DevImage> images, Path basedir, File manifests, int debounceMillis) {
    return new DevConfig(deploy, forward, undeploy, keep, images, basedir,
        manifests != null ? manifests.toPath().toAbsolutePath().normalize() : manifestsOf(deploy.request().overlay()),
        Durations.millis(debounceMillis, "<debounce> (-Dllmstack.dev.debounce)"));
  }

  private static Path manifestsOf(Path overlay) {
    Path o = overlay.toAbsolutePath().normalize();
    Path parent = o.getParent();
    return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("overlays")
            && parent.getParent() != null
        ? parent.getParent()
        : o;
  }
}
