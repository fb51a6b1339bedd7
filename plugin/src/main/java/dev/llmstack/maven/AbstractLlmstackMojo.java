package dev.llmstack.maven;

import dev.llmstack.error.LlmstackException;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.log.BuildLog;
import java.io.File;
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
      getLog().info("Skipping llmstack:" + goal() + " because " + goalSkip + " is true.");
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

  /** The goal's name, for log lines. */
  protected abstract String goal();

  /** The goal's own skip property if it is set, else null. */
  protected abstract String goalSkippedBy();

  protected abstract void run(BuildLog log) throws MojoExecutionException, MojoFailureException;
}
