package dev.llmstack.maven;

import dev.llmstack.cluster.StackDeployment;
import dev.llmstack.image.BuildRecord;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.log.BuildLog;
import dev.llmstack.render.StackDecorator;
import java.io.File;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds the images that are missing or changed, renders the overlay with kustomize, server-side
 * applies it (recorded as an ApplySet, so objects that left the overlay are pruned) and waits until
 * every workload is ready by the rules of {@code kubectl rollout status}.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class DeployMojo extends BuildMojo {

  /**
   * The kustomize overlay to deploy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.overlay", defaultValue = "${project.basedir}/k8s/overlays/dev")
  private File overlay;

  /**
   * kustomize, kubectl or minikube executable used to render the overlay. Default: the first of
   * {@code kustomize}, {@code kubectl}, {@code minikube} on PATH.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.kustomizeExecutable")
  private String kustomizeExecutable;

  /**
   * Applies every object even when the stack is exactly as the last deploy left it (same manifests,
   * images and object versions, every workload ready), which deploy otherwise answers without
   * applying anything. Use it to revert a hand-made change to a label or annotation, which does not
   * count as a change.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forceApply", defaultValue = "false")
  private boolean forceApply;

  /**
   * Existing objects deploy may take over although they are not this stack's (made by hand, by
   * kubectl, by another stack or by Helm). Each entry is Kind/name or Kind/namespace/name, for
   * example Service/dev-postgres; an entry of * adopts every object of the overlay. Without it,
   * deploy refuses such objects and applies nothing. An adopted object becomes the stack's:
   * undeploy deletes it. An existing Namespace is never adopted, only used.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.adopt")
  private List<String> adopt;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.deploy.skip", defaultValue = "false")
  private boolean skipDeploy;

  @Inject
  public DeployMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goal() {
    return "deploy";
  }

  @Override
  protected String goalSkippedBy() {
    return skipDeploy ? "llmstack.deploy.skip" : null;
  }

  @Override
  protected void run(BuildLog log) {
    // kustomize, the connection and the cluster reads run while the images are built
    try (StackDeployment deployment = StackDeployment.start(deployRequest(), log)) {
      if (!hasImages()) {
        deployment.run(Map.of(), false);
      } else if (buildSkipped()) {
        log.info("Not building images because llmstack.build.skip is true; using " + BuildRecord.FILE_NAME + ".");
        deployment.run(references(BuildRecord.read(outputDirectory.toPath().resolve(BuildRecord.FILE_NAME)).images()), false);
      } else {
        List<BuiltImage> built = buildImages(log);
        deployment.run(references(built), built.stream().anyMatch(BuiltImage::changed));
      }
    }
  }

  /** A deploy of the overlay (the images come with {@link StackDeployment#run}). */
  protected StackDeployment.Request deployRequest() {
    return new StackDeployment.Request(
        overlay.toPath(),
        blankToNull(kustomizeExecutable),
        stack,
        blankToNull(namespace),
        clusterOptions(),
        Duration.ofSeconds(timeout),
        tooling(),
        forceApply,
        adopt == null ? List.of() : adopt.stream().map(String::trim).filter(a -> !a.isEmpty()).toList());
  }

  /** Repository of each built image to its digest-tag reference, which replaces the manifests' tags. */
  protected static Map<String, String> references(Collection<BuiltImage> built) {
    Map<String, String> references = new HashMap<>();
    built.forEach(b -> references.put(StackDecorator.repositoryOf(b.stableReference()), b.reference()));
    return references;
  }

  /** The overlay deploy renders. */
  protected File overlay() {
    return overlay;
  }
}
