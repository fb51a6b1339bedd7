package dev.llmstack.maven;

import dev.llmstack.config.UndeployConfig;
import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Stops the forwards of this build and deletes what deploy applied (the ApplySet's members that
 * carry the stack's labels, nothing else) in reverse order, waiting until they are gone. Keeps
 * PersistentVolumeClaims unless asked, objects annotated keep, and namespaces or definitions that
 * still hold others' objects. Idempotent.
 */
@Mojo(name = "undeploy", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class UndeployMojo extends AbstractLlmstackMojo {

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
   * Seconds to wait until everything deleted is gone.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.timeout", defaultValue = "600")
  int timeout;

  /**
   * Leaves the stack running (to inspect a failed run); skips this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.keep", defaultValue = "false")
  boolean keep;

  /**
   * Also deletes the stack's PersistentVolumeClaims, those its StatefulSets made included, and so its data.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.deleteVolumes", defaultValue = "false")
  boolean deleteVolumes;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.undeploy.skip", defaultValue = "false")
  boolean skipUndeploy;

  public UndeployMojo() {
    this(new SessionHubs());
  }

  UndeployMojo(Hubs hubs) {
    super(hubs);
  }

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
  protected void run(StackHub hub, BuildLog log) {
    hub.undeploy(UndeployConfig.of(
        new ClusterParameters(stack, namespace, kubeconfig, context, allowedContexts).toTarget(), deleteVolumes, timeout, tooling()));
  }
}
