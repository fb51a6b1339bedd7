package dev.llmstack.maven;

import dev.llmstack.cluster.ClusterConnector;
import dev.llmstack.forward.EndpointTable;
import dev.llmstack.forward.ForwardRegistry;
import dev.llmstack.forward.ForwardSession;
import dev.llmstack.log.BuildLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Forwards the stack's Services to localhost and exports {@code llmstack.<service>.host},
 * {@code .port} and {@code .url} as project properties (for failsafe) and to
 * {@code endpoints.properties}. Bound to a phase it forwards in the background until undeploy or the
 * end of the build; run from the command line it blocks like {@code kubectl port-forward} until
 * Ctrl-C.
 */
@Mojo(name = "forward", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class ForwardMojo extends AbstractLlmstackMojo {

  /**
   * Logical names of the Services to forward (e.g. {@code litellm}); default: all of the stack's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.services")
  private List<String> services = new ArrayList<>();

  /**
   * Take a free local port when a service's own port is busy (the URL properties say which).
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.anyPort", defaultValue = "false")
  private boolean anyPort;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.skip", defaultValue = "false")
  private boolean skipForward;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  private MojoExecution mojoExecution;

  @Override
  protected String goal() {
    return "forward";
  }

  @Override
  protected String goalSkippedBy() {
    return skipForward ? "llmstack.forward.skip" : null;
  }

  @Override
  protected void run(BuildLog log) {
    ClusterConnector.Connection connection = ClusterConnector.connect(clusterOptions(), log);
    String ns = namespaceOn(connection);
    ForwardSession session =
        ForwardSession.open(connection.client(), ns, stack, services.stream().map(String::trim).toList(), anyPort, log);
    Map<String, String> properties = EndpointTable.properties(session.endpoints());
    properties.forEach(project.getProperties()::setProperty);
    EndpointTable.write(outputDirectory.toPath().resolve("endpoints.properties"), properties);
    EndpointTable.lines(session.endpoints()).forEach(log::info);
    if (mojoExecution != null && mojoExecution.getLifecyclePhase() == null) {
      blockUntilInterrupted(session, log);
    } else {
      ForwardRegistry.register(stack, session);
      log.info("Forwarding in the background until llmstack:undeploy or the end of the build.");
    }
  }

  /** From the command line: forward until Ctrl-C, then close everything. */
  private static void blockUntilInterrupted(ForwardSession session, BuildLog log) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      session.close();
      log.info("Stopped forwarding.");
      stopped.countDown();
    }, "llmstack-forward-stop"));
    log.info("Forwarding; press Ctrl-C to stop.");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.close();
    }
  }
}
