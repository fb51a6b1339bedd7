package dev.llmstack.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.llmstack.log.BuildLog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** What every Jib run of a build shares: cache, mirrors, credentials, offline mode, logging. */
final class JibSettings {

  private static final String DOCKER_HUB = "registry-1.docker.io";

  private final BuildRequest request;
  private final ExecutorService executor;
  private final BuildLog log;

  JibSettings(BuildRequest request, ExecutorService executor, BuildLog log) {
    this.request = request;
    this.executor = executor;
    this.log = log;
  }

  RegistryImage baseImage(ImageSpec spec) {
    return withCredentials(parse(spec.from()), spec.name());
  }

  RegistryImage registryImage(String reference, String imageName) {
    return withCredentials(parse(reference), imageName);
  }

  static ImageReference parse(String reference) {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException(reference, e); // validated before the build starts
    }
  }

  /** settings.xml's server first, then Docker config files and credential helpers, as docker does. */
  private RegistryImage withCredentials(ImageReference reference, String imageName) {
    RegistryImage image = RegistryImage.named(reference);
    RegistrySettings registries = request.registries();
    String registry = reference.getRegistry();
    registries
        .credentialFor(registry)
        .or(() -> isDockerHub(registry) ? registries.credentialFor("docker.io") : Optional.empty())
        .ifPresent(c -> image.addCredential(c.username(), c.password()));
    CredentialRetrieverFactory factory =
        CredentialRetrieverFactory.forImage(reference, event -> logJib(imageName, event));
    image.addCredentialRetriever(factory.dockerConfig());
    image.addCredentialRetriever(factory.wellKnownCredentialHelpers());
    return image;
  }

  /** Applies the shared settings; {@code pushRegistry} is null unless pushing. */
  Containerizer configure(Containerizer containerizer, ImageSpec spec, String pushRegistry) {
    containerizer
        .setToolName("llmstack-maven-plugin")
        .setToolVersion(request.toolVersion())
        .setExecutorService(executor)
        .setOfflineMode(request.offline())
        .setAllowInsecureRegistries(needsInsecure(spec, pushRegistry))
        .addEventHandler(LogEvent.class, event -> logJib(spec.name(), event))
        .addEventHandler(ProgressEvent.class, progressLogger(spec.name()));
    if (request.baseLayersCache() != null) {
      containerizer.setBaseImageLayersCache(request.baseLayersCache());
    }
    containerizer.setApplicationLayersCache(request.outputDirectory().resolve("jib-cache"));
    for (Map.Entry<String, List<String>> mirror : request.registries().mirrors().entrySet()) {
      String registry = isDockerHub(mirror.getKey()) ? DOCKER_HUB : mirror.getKey();
      containerizer.addRegistryMirrors(registry, mirror.getValue());
    }
    return containerizer;
  }

  /** Jib has one switch for all registries; turn it on only if this image touches an insecure one. */
  private boolean needsInsecure(ImageSpec spec, String pushRegistry) {
    RegistrySettings registries = request.registries();
    String baseRegistry = parse(spec.from()).getRegistry();
    return registries.isInsecure(baseRegistry)
        || registries.mirrorsOf(baseRegistry).stream().anyMatch(registries::isInsecure)
        || (pushRegistry != null && registries.isInsecure(pushRegistry));
  }

  static boolean isDockerHub(String registry) {
    return RegistrySettings.isDockerHub(registry);
  }

  private void logJib(String imageName, LogEvent event) {
    if (isFileListing(event)) {
      return;
    }
    String line = "[" + imageName + "] " + event.getMessage();
    boolean warning = event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN;
    if (warning && !isExpected(event.getMessage())) {
      log.warn(line);
    } else {
      log.debug(line);
    }
  }

  /**
   * jib-core names every file of every layer before it builds ({@code JibContainerBuilder.logSources}:
   * "\t\t" and the path, at INFO): 20,000 lines for a large layer directory, each formatted again here
   * for a debug log that is usually off. The files are the layer sources' own, listed by {@link LayerFiles}.
   */
  static boolean isFileListing(LogEvent event) {
    return event.getLevel() == LogEvent.Level.INFO && event.getMessage().startsWith("\t\t");
  }

  /**
   * Warnings that say what the user configured: falling back to HTTP for an insecure registry, a
   * base pinned by tag (the input digest and the digest tag already make builds traceable).
   */
  private static boolean isExpected(String message) {
    return message.contains("Attempting again with")
        || message.contains("does not use a specific image digest");
  }

  /** One info line per quarter of Jib's progress, so a long pull shows it is moving. */
  private ProgressEventHandler progressLogger(String imageName) {
    AtomicInteger lastQuarter = new AtomicInteger(0);
    return new ProgressEventHandler(
        update -> {
          int quarter = (int) Math.floor(update.getProgress() * 4);
          int previous = lastQuarter.getAndAccumulate(quarter, Math::max);
          if (quarter > previous && quarter < 4) {
            String doing =
                update.getUnfinishedLeafTasks().isEmpty() ? "" : " — " + update.getUnfinishedLeafTasks().get(0);
            log.info("[" + imageName + "] " + quarter * 25 + "%" + doing);
          }
        });
  }
}
