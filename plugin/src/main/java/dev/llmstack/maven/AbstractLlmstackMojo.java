package dev.llmstack.maven;

import dev.llmstack.error.LlmstackException;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
import dev.llmstack.log.LibraryLogs;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every goal shares: the skip switches, the build's hub, and the one place where the core's
 * exceptions become Maven's (configuration problems: MojoExecutionException; a failing stack:
 * MojoFailureException). Each goal declares only the parameters it uses, converts them into its
 * configuration record and makes one call on the hub.
 */
public abstract class AbstractLlmstackMojo extends AbstractMojo {

  /**
   * Skips every llmstack goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.skip", defaultValue = "false")
  protected boolean skip;

  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  protected String pluginVersion;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  private final Hubs hubs;

  protected AbstractLlmstackMojo(Hubs hubs) {
    this.hubs = hubs;
  }

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
    BuildLog log = new MavenBuildLog(getLog());
    LibraryLogs.quietClusterClient(getLog().isDebugEnabled());
    try {
      run(hubs.hub(session, log), log);
    } catch (StackFailureException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (LlmstackException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
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

  /** Converts the parameters and makes the goal's one call on the hub. */
  protected abstract void run(StackHub hub, BuildLog log);
}
