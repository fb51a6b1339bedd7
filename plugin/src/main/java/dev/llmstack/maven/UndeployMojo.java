package dev.llmstack.maven;

import dev.llmstack.cluster.ClusterConnector;
import dev.llmstack.cluster.StackRemover;
import dev.llmstack.forward.ForwardRegistry;
import dev.llmstack.log.BuildLog;
import java.time.Duration;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deletes what deploy applied (the ApplySet's members that carry the stack's labels, nothing else)
 * in reverse order and waits until they are gone. Keeps PersistentVolumeClaims unless asked.
 * Idempotent.
 */
@Mojo(name = "undeploy", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class UndeployMojo extends AbstractLlmstackMojo {

  /**
   * Leaves the stack running (to inspect a failed run); skips this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.keep", defaultValue = "false")
  private boolean keep;

  /**
   * Also deletes the stack's PersistentVolumeClaims (and so its data).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.deleteVolumes", defaultValue = "false")
  private boolean deleteVolumes;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.undeploy.skip", defaultValue = "false")
  private boolean skipUndeploy;

  @Override
  protected String goal() {
    return "undeploy";
  }

  @Override
  protected String goalSkippedBy() {
    if (keep) {
      return "llmstack.keep";
    }
    return skipUndeploy ? "llmstack.undeploy.skip" : null;
  }

  @Override
  protected String skipMessage(String property) {
    return keep
        ? "Keeping stack '" + stack + "' running because llmstack.keep is true; remove it later with mvn llmstack:undeploy."
        : super.skipMessage(property);
  }

  @Override
  protected void run(BuildLog log) {
    if (ForwardRegistry.close(stack)) {
      log.info("Stopped the port forwards of stack '" + stack + "'.");
    }
    ClusterConnector.Connection connection = ClusterConnector.connect(clusterOptions(), log);
    try (var client = connection.client()) {
      String ns = namespaceOn(connection);
      new StackRemover(client, stack, ns, log).remove(deleteVolumes, Duration.ofSeconds(timeout), tooling());
    }
  }
}
