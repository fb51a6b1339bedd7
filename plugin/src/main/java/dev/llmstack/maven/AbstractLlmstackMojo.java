package dev.llmstack.maven;

import dev.llmstack.cluster.ClusterConnector;
import dev.llmstack.error.LlmstackException;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.log.BuildLog;
import java.io.File;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every goal shares: the skip switches and the one place where the core's exceptions become
 * Maven's (configuration problems: MojoExecutionException; a failing stack: MojoFailureException).
 */
public abstract class AbstractLlmstackMojo extends AbstractMojo {

  /**
   * Skips every llmstack goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * Where the plugin keeps what it produced: the build record ({@code images.json}), image tars,
   * Jib's application layer cache.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.outputDirectory", defaultValue = "${project.build.directory}/llmstack")
  protected File outputDirectory;

  /**
   * The stack's name: the value of the {@code llmstack.dev/stack} label on everything deploy applies,
   * and the name of its ApplySet ({@code llmstack-<stack>}). Used by deploy, forward and undeploy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.stack", defaultValue = "${project.artifactId}")
  protected String stack;

  /**
   * Namespace for objects that name none, and where the stack's ApplySet lives. Default: the kube
   * context's namespace ({@code default} if it has none). Used by deploy, forward and undeploy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.namespace")
  protected String namespace;

  /**
   * The kubeconfig file. Default: {@code KUBECONFIG}, else {@code ~/.kube/config}. Used by deploy,
   * forward and undeploy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.kubeconfig")
  protected File kubeconfig;

  /**
   * The kube context to deploy to. Default: the kubeconfig's current context.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.context")
  protected String context;

  /**
   * Contexts the stack may be deployed to (or undeployed from); {@code *} matches anything. A
   * safety net: dev secrets must never reach a production cluster by accident.
   *
   * @since 0.1.0
   */
  @Parameter(
      property = "llmstack.allowedContexts",
      defaultValue = "minikube,docker-desktop,kind-*,k3d-*,rancher-desktop,orbstack")
  protected List<String> allowedContexts;

  /**
   * Seconds to wait until every workload is ready (deploy) or gone (undeploy).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.timeout", defaultValue = "600")
  protected int timeout;

  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  protected String pluginVersion;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping llmstack:" + goal() + " because llmstack.skip is true.");
      return;
    }
    String goalSkip = goalSkippedBy();
    if (goalSkip != null) {
      getLog().info(skipMessage(goalSkip));
      return;
    }
    try {
      run(new MavenBuildLog(getLog()));
    } catch (StackFailureException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (LlmstackException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** Where the cluster is and which contexts are allowed, for the core. */
  protected ClusterConnector.Options clusterOptions() {
    return new ClusterConnector.Options(
        kubeconfig == null ? null : kubeconfig.toPath(),
        context == null || context.isBlank() ? null : context.trim(),
        allowedContexts == null ? ClusterConnector.DEFAULT_ALLOWED_CONTEXTS : allowedContexts.stream().map(String::trim).toList(),
        System.getenv());
  }

  /** {@code <namespace>} if set, else the kube context's. */
  protected String namespaceOn(ClusterConnector.Connection connection) {
    return namespace == null || namespace.isBlank() ? connection.namespace() : namespace.trim();
  }

  /** The ApplySet tooling annotation: {@code llmstack-maven-plugin/<version>}. */
  protected String tooling() {
    return "llmstack-maven-plugin/" + pluginVersion;
  }

  /** The goal's name, for log lines. */
  protected abstract String goal();

  /** What the log says when the goal's own skip property is set. */
  protected String skipMessage(String property) {
    return "Skipping llmstack:" + goal() + " because " + property + " is true.";
  }

  /** The goal's own skip property if it is set, else null. */
  protected abstract String goalSkippedBy();

  protected abstract void run(BuildLog log) throws MojoExecutionException, MojoFailureException;
}
