package dev.llmstack.maven;

import dev.llmstack.image.BuildRequest;
import dev.llmstack.image.BuildTarget;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.image.ImageDestination;
import dev.llmstack.image.ImageSpec;
import dev.llmstack.image.ImageSpecs;
import dev.llmstack.image.StackImageBuild;
import dev.llmstack.log.BuildLog;
import dev.llmstack.minikube.DestinationResolver;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the stack's images with Jib, in parallel, into minikube's Docker daemon (or the local one,
 * a registry, or tar files). An image whose inputs did not change is neither rebuilt nor re-sent.
 * Writes {@code images.json} (image name to digest tag) for deploy.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractLlmstackMojo {

  /**
   * The images to build, each an &lt;image&gt; with &lt;name&gt;, &lt;from&gt; (base image),
   * &lt;layers&gt; (each &lt;layer&gt; with &lt;source&gt;, &lt;target&gt;, &lt;filePermissions&gt;,
   * &lt;directoryPermissions&gt;), &lt;entrypoint&gt;, &lt;cmd&gt;, &lt;env&gt;, &lt;ports&gt;,
   * &lt;labels&gt;, &lt;user&gt;, &lt;workdir&gt; and &lt;repository&gt; (default: the name). A list
   * of structures has no user property; configure it in the POM.
   *
   * @since 0.1.0
   */
  @Parameter private List<ImageParameter> images = new ArrayList<>();

  /**
   * Where images go: {@code docker} (minikube's daemon through {@code minikube docker-env}, or the
   * local daemon when no minikube profile runs), {@code registry} (push to {@code registry}) or
   * {@code tar} (files in {@code outputDirectory/images}, loaded with {@code minikube image load}
   * when minikube runs without a Docker daemon).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.target", defaultValue = "docker")
  private String target;

  /**
   * Registry and path to push to with target {@code registry}, e.g. {@code localhost:5000/llmstack}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.registry")
  private String registry;

  /**
   * The stable tag every image gets besides its digest tag (the short image ID).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.tag", defaultValue = "dev")
  private String tag;

  /**
   * Registry mirrors, each {@code registry=mirror} (repeat for several mirrors), e.g.
   * {@code docker.io=mirror.example:5000}. Jib tries the mirrors before the registry itself.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.registryMirrors")
  private List<String> registryMirrors = new ArrayList<>();

  /**
   * Registries ({@code host:port}) that may be reached over plain HTTP or with an untrusted
   * certificate.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.insecureRegistries")
  private List<String> insecureRegistries = new ArrayList<>();

  /**
   * Jib's base image layer cache, shared between projects. Default: Jib's own
   * ({@code ~/.cache/google-cloud-tools-java/jib}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.cacheDirectory")
  private File cacheDirectory;

  /**
   * The minikube profile whose Docker daemon receives the images. When set, it must be running;
   * when not set, profile {@code minikube} is used if it runs, else the local Docker daemon.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.minikube.profile")
  private String minikubeProfile;

  /**
   * The minikube executable: a path, or a name looked up on PATH. Default {@code minikube}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.minikube.executable")
  private String minikubeExecutable;

  /**
   * A Docker daemon to use instead of minikube's or DOCKER_HOST, e.g. {@code tcp://127.0.0.1:2376}
   * or {@code unix:///var/run/docker.sock}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dockerHost")
  private String dockerHost;

  /**
   * Directory with {@code ca.pem}, {@code cert.pem} and {@code key.pem} for a TLS {@code dockerHost}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dockerCertPath")
  private File dockerCertPath;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.build.skip", defaultValue = "false")
  private boolean skipBuild;

  private final SettingsDecrypter decrypter;

  @Inject
  public BuildMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  protected String goal() {
    return "build";
  }

  @Override
  protected String goalSkippedBy() {
    return skipBuild ? "llmstack.build.skip" : null;
  }

  @Override
  protected void run(BuildLog log) {
    buildImages(log);
  }

  /** Builds what is missing or changed; the result is also in {@code images.json}. */
  protected List<BuiltImage> buildImages(BuildLog log) {
    return new StackImageBuild(buildRequest(imageSpecs(), log), log).run();
  }

  /** The configured images, validated. */
  protected List<ImageSpec> imageSpecs() {
    List<ImageSpec> specs = ImageParameters.toSpecs(images, project.getBasedir().toPath());
    ImageSpecs.validate(specs);
    return specs;
  }

  /** The configured images as written in the POM (for dev's sync rules). */
  protected List<ImageParameter> imageParameters() {
    return images;
  }

  /** A build of these images to the configured target (asks minikube where its daemon is). */
  protected BuildRequest buildRequest(List<ImageSpec> specs, BuildLog log) {
    ImageDestination destination = new DestinationResolver(System.getenv(), log).resolve(destinationOptions());
    return new BuildRequest(
        specs,
        destination,
        tag,
        outputDirectory.toPath(),
        cacheDirectory == null ? null : cacheDirectory.toPath(),
        RegistryParameters.settings(registryMirrors, insecureRegistries, session.getSettings(), decrypter, log),
        session.isOffline(),
        pluginVersion);
  }

  /** Where images go, as configured (resolved against the machine by DestinationResolver). */
  protected DestinationResolver.Options destinationOptions() {
    return new DestinationResolver.Options(
        BuildTarget.parse(target),
        registry,
        outputDirectory.toPath().resolve("images"),
        blankToNull(minikubeProfile),
        blankToNull(minikubeExecutable),
        blankToNull(dockerHost),
        dockerCertPath == null ? null : dockerCertPath.toPath(),
        outputDirectory.toPath());
  }

  /** Whether any image is configured (deploy builds only then). */
  protected boolean hasImages() {
    return !images.isEmpty();
  }

  /** Skips the build step of this goal (and of deploy). */
  protected boolean buildSkipped() {
    return skipBuild;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
