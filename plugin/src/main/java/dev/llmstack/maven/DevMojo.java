package dev.llmstack.maven;

import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.DeployConfig;
import dev.llmstack.config.DevConfig;
import dev.llmstack.config.ForwardConfig;
import dev.llmstack.config.StackTarget;
import dev.llmstack.config.UndeployConfig;
import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * skaffold dev --port-forward in Maven: builds, deploys, waits, forwards, prints the endpoints, then
 * watches every image's inputs. A changed file matching an image's sync rules is copied into its
 * running containers; any other change rebuilds only the images it touches and rolls only their
 * workloads. Ctrl-C stops watching and forwarding and undeploys (unless llmstack.keep).
 */
@Mojo(name = "dev", threadSafe = true)
public class DevMojo extends AbstractLlmstackMojo {

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
   * Seconds to wait until every workload is ready (deploy) or gone (undeploy on Ctrl-C).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.timeout", defaultValue = "600")
  int timeout;

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
   * Applies every object even when the stack is exactly as the last deploy left it (same manifests,
   * images and objects, every workload ready), which deploy otherwise answers without applying
   * anything. Use it to revert a hand-made change to a label or annotation, which does not count as
   * a change.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forceApply", defaultValue = "false")
  boolean forceApply;

  /**
   * Existing objects deploy may take over although they are not this stack's (made by hand, by
   * kubectl, by another stack or by Helm). Each entry is Kind/name or Kind/namespace/name, for
   * example Service/dev-postgres; the entry * adopts every object of the overlay. Without it,
   * deploy refuses such objects and applies nothing. An adopted object becomes the stack's: undeploy
   * deletes it. An existing Namespace is never adopted, only used.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.adopt")
  List<String> adopt = new ArrayList<>();

  /**
   * Logical names of the Services to forward (the app.kubernetes.io/name or app label, for example
   * litellm). Default: all of the stack's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.services")
  List<String> services = new ArrayList<>();

  /**
   * Takes a free local port when a service's own port is busy (the URL properties say which).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.anyPort", defaultValue = "false")
  boolean anyPort;

  /**
   * Leaves the stack running after Ctrl-C.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.keep", defaultValue = "false")
  boolean keep;

  /**
   * On Ctrl-C, also deletes the stack's PersistentVolumeClaims.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.deleteVolumes", defaultValue = "false")
  boolean deleteVolumes;

  /**
   * Milliseconds without further changes before a batch of changes is handled (a build writing many
   * files becomes one rebuild). A tool writes a burst of files milliseconds apart (webpack waits
   * 20 ms); a longer pause only makes a second batch.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dev.debounce", defaultValue = "50")
  int debounce;

  /**
   * Directory whose changes re-apply the stack. Default: the directory above overlays when the
   * overlay sits in a directory named overlays (k8s for k8s/overlays/dev, so the base is watched
   * too), else the overlay itself.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dev.manifests")
  File manifests;


  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dev.skip", defaultValue = "false")
  boolean skipDev;

  private final SettingsDecrypter decrypter;

  @Inject
  public DevMojo(SettingsDecrypter decrypter) {
    this(decrypter, new SessionHubs());
  }

  DevMojo(SettingsDecrypter decrypter, Hubs hubs) {
    super(hubs);
    this.decrypter = decrypter;
  }

  @Override
  protected String goal() {
    return "dev";
  }

  @Override
  protected String goalSkippedBy() {
    return skipDev ? "llmstack.dev.skip" : null;
  }

  @Override
  protected void run(StackHub hub, BuildLog log) {
    StackTarget where = new ClusterParameters(stack, namespace, kubeconfig, context, allowedContexts).toTarget();
    BuildConfig build = new BuildParameters(images, target, registry, tag, registryMirrors, insecureRegistries, cacheDirectory,
            minikubeProfile, minikubeExecutable, dockerHost, dockerCertPath, outputDirectory)
        .toConfig(project, session, decrypter, pluginVersion, log);
    DeployConfig deploy = DeployConfig.of(where, overlay, kustomizeExecutable, timeout, forceApply, adopt, tooling(), build, false);
    hub.dev(DevConfig.of(
        deploy,
        ForwardConfig.of(where, services, anyPort, outputDirectory),
        UndeployConfig.of(where, deleteVolumes, timeout, tooling()),
        keep,
        DevParameters.toDevImages(images, build.images(), project.getBasedir().toPath()),
        project.getBasedir().toPath(),
        manifests,
        debounce));
  }
}
