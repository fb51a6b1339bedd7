package dev.llmstack.maven;

import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
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
 * Writes images.json (image name to digest tag) for deploy.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractLlmstackMojo {

  /**
   * The images to build. Each image element has a name, a from (the base image), layers (each a
   * layer element with source, target, filePermissions, directoryPermissions and excludes), and
   * optionally repository (default: the name), entrypoint, cmd, env, ports, labels, user and
   * workdir; sync and devCommand are for the dev goal. A list of structures has no user property:
   * configure it in the POM (see the README).
   *
   * @since 0.1.0
   */
  @Parameter
  List<ImageParameter> images = new ArrayList<>();

  /**
   * Where images go: docker (minikube's daemon through minikube docker-env, or the local daemon when
   * no minikube profile runs), registry (push to the registry parameter) or tar (files in
   * outputDirectory/images, loaded with minikube image load when minikube runs without a Docker daemon).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.target", defaultValue = "docker")
  String target;

  /**
   * Registry and path to push to with target registry, for example localhost:5000/llmstack.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.registry")
  String registry;

  /**
   * The stable tag every image gets besides its digest tag (the short image ID).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.tag", defaultValue = "dev")
  String tag;

  /**
   * Registry mirrors, each registry=mirror (repeat for several mirrors), for example
   * docker.io=mirror.example:5000. Jib tries the mirrors before the registry itself.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.registryMirrors")
  List<String> registryMirrors = new ArrayList<>();

  /**
   * Registries (host:port) that may be reached over plain HTTP or with an untrusted certificate.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.insecureRegistries")
  List<String> insecureRegistries = new ArrayList<>();

  /**
   * Jib's base image layer cache, shared between projects. Default: Jib's own
   * (~/.cache/google-cloud-tools-java/jib).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.cacheDirectory")
  File cacheDirectory;

  /**
   * The minikube profile whose Docker daemon receives the images. When set, it must be running;
   * when not set, profile minikube is used if it runs, else the local Docker daemon.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.minikube.profile")
  String minikubeProfile;

  /**
   * The minikube executable: a path, or a name looked up on PATH. Default: minikube.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.minikube.executable")
  String minikubeExecutable;

  /**
   * A Docker daemon to use instead of minikube's or DOCKER_HOST, for example tcp://127.0.0.1:2376
   * or unix:///var/run/docker.sock.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dockerHost")
  String dockerHost;

  /**
   * Directory with ca.pem, cert.pem and key.pem for a TLS dockerHost.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dockerCertPath")
  File dockerCertPath;

  /**
   * Where the plugin keeps what it produced: the build record (images.json), image tars, the input
   * cache.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.outputDirectory", defaultValue = "${project.build.directory}/llmstack")
  File outputDirectory;

  /**
   * Skips this goal, and the build step of deploy (which then deploys the images of the last build).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.build.skip", defaultValue = "false")
  boolean skipBuild;

  private final SettingsDecrypter decrypter;

  @Inject
  public BuildMojo(SettingsDecrypter decrypter) {
    this(decrypter, new SessionHubs());
  }

  BuildMojo(SettingsDecrypter decrypter, Hubs hubs) {
    super(hubs);
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
  protected void run(StackHub hub, BuildLog log) {
    hub.build(new BuildParameters(images, target, registry, tag, registryMirrors, insecureRegistries, cacheDirectory,
            minikubeProfile, minikubeExecutable, dockerHost, dockerCertPath, outputDirectory)
        .toConfig(project, session, decrypter, pluginVersion, log));
  }
}
