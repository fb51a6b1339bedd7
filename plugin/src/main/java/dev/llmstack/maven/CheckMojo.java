package dev.llmstack.maven;

import dev.llmstack.cluster.StackDeployment;
import dev.llmstack.log.BuildLog;
import dev.llmstack.minikube.Preflight;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Checks in seconds what build and deploy would fail on later, with their own code and messages: where images go
 * (minikube's docker-env, or the local daemon) and that the daemon answers; that the kube context is allowed and its
 * API server answers; that the overlay renders. Then warns when the minikube profile is too small for what the
 * overlay's pods request, with the {@code minikube start} that makes one big enough. Bound early (phase
 * {@code validate}), it stops a build with no minikube, or a stopped one, before npm and the image build.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public class CheckMojo extends DeployMojo {

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.check.skip", defaultValue = "false")
  private boolean skipCheck;

  @Inject
  public CheckMojo(SettingsDecrypter decrypter) {
    super(decrypter);
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
  protected void run(BuildLog log) {
    StackDeployment.Request deploy = deployRequest();
    new Preflight(System.getenv(), log).run(new Preflight.Request(
        destinationOptions(), hasImages() && !buildSkipped(), deploy.cluster(), deploy.overlay(), deploy.kustomizeExecutable()));
  }
}
