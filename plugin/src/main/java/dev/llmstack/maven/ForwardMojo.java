package dev.llmstack.maven;

import dev.llmstack.config.ForwardConfig;
import dev.llmstack.forward.EndpointTable;
import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Forwards the stack's Services to localhost and exports llmstack.SERVICE.host,
 * llmstack.SERVICE.port and llmstack.SERVICE.url as project properties (for failsafe) and to
 * endpoints.properties. Bound to a phase it forwards in the background until undeploy or the end of
 * the build; run from the command line it blocks like kubectl port-forward until Ctrl-C.
 */
@Mojo(name = "forward", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class ForwardMojo extends AbstractLlmstackMojo {

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
   * Where the plugin keeps what it produced; forward writes endpoints.properties there.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.outputDirectory", defaultValue = "${project.build.directory}/llmstack")
  File outputDirectory;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.skip", defaultValue = "false")
  boolean skipForward;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  MojoExecution mojoExecution;

  public ForwardMojo() {
    this(new SessionHubs());
  }

  ForwardMojo(Hubs hubs) {
    super(hubs);
  }

  @Override
  protected String goal() {
    return "forward";
  }

  @Override
  protected String goalSkippedBy() {
    return skipForward ? "llmstack.forward.skip" : null;
  }

  @Override
  protected void run(StackHub hub, BuildLog log) {
    ForwardConfig config = ForwardConfig.of(
        new ClusterParameters(stack, namespace, kubeconfig, context, allowedContexts).toTarget(), services, anyPort, outputDirectory);
    if (mojoExecution != null && mojoExecution.getLifecyclePhase() == null) {
      hub.forwardUntilStopped(config); // from the command line
    } else {
      EndpointTable.properties(hub.forward(config)).forEach(project.getProperties()::setProperty);
      log.info("Forwarding in the background until llmstack:undeploy or the end of the build.");
    }
  }
}
