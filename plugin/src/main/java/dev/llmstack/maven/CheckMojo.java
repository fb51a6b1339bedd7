package dev.llmstack.maven;

import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.CheckConfig;
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
 * Checks in seconds what build and deploy would fail on later, with their own code and messages:
 * where images go (minikube's docker-env, or the local daemon) and that the daemon answers; that
 * the kube context is allowed and its API server answers; that the overlay renders. Then warns when
 * the minikube profile is too small for what the overlay's pods request, with the minikube start
 * that makes one big enough. Bound early (phase validate), it stops a build with no minikube, or a
 * stopped one, before npm and the image build.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class CheckMojo extends AbstractLlmstackMojo {

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
   * Build is skipped (deploy then deploys the last build's images): the image daemon is not checked.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.build.skip", defaultValue = "false")
  boolean skipBuild;

  /**
   * The stack's name: the value of the llmstack.dev/stack label on everything deploy applies, and
   * the name of its ApplySet record (llmstack-NAME).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.stack", defaultValue = "${project.artifactId}")
  String stack;

  /**
   * Namespace for objects that name none, and where the stack's ApplySet record lives. Default: the
   * kube context's namespace (default if it has none).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.namespace")
  String namespace;

  /**
   * The kubeconfig file. Default: KUBECONFIG, else ~/.kube/config.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.kubeconfig")
  File kubeconfig;

  /**
   * The kube context to work in. Default: the kubeconfig's current context.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.context")
  String context;

  /**
   * Contexts the stack may be deployed to or removed from; * matches anything (kind-* matches
   * kind-dev). A safety net: dev secrets must never reach a production cluster by accident.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.allowedContexts", defaultValue = "minikube,docker-desktop,kind-*,k3d-*,rancher-desktop,orbstack")
  List<String> allowedContexts;

  /**
   * The kustomize overlay to deploy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.overlay", defaultValue = "${project.basedir}/k8s/overlays/dev")
  File overlay;

  /**
   * kustomize, kubectl or minikube executable that renders the overlay. Default: the first of
   * kustomize, kubectl and minikube on the PATH.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.kustomizeExecutable")
  String kustomizeExecutable;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.check.skip", defaultValue = "false")
  boolean skipCheck;

  private final SettingsDecrypter decrypter;

  @Inject
  public CheckMojo(SettingsDecrypter decrypter) {
    this(decrypter, new SessionHubs());
  }

  CheckMojo(SettingsDecrypter decrypter, Hubs hubs) {
    super(hubs);
    this.decrypter = decrypter;
  }

  @Override
  protected String goal() {
    return "check";
  }

  @Override
  protected String goalSkippedBy() {
    return skipCheck ? "llmstack.check.skip" : null;
  }

  @Override
  protected void run(StackHub hub, BuildLog log) {
    BuildConfig build = new BuildParameters(images, target, registry, tag, registryMirrors, insecureRegistries, cacheDirectory,
            minikubeProfile, minikubeExecutable, dockerHost, dockerCertPath, outputDirectory)
        .toConfig(project, session, decrypter, pluginVersion, log);
    hub.check(CheckConfig.of(build, !images.isEmpty() && !skipBuild,
        new ClusterParameters(stack, namespace, kubeconfig, context, allowedContexts).toTarget(), overlay, kustomizeExecutable));
  }
}
