package dev.llmstack.config;

import dev.llmstack.error.ConfigurationException;
import dev.llmstack.kube.ClusterConnector;
import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * Where a stack lives: its name, the namespace of objects that name none (null: the kube context's)
 * and the cluster's kubeconfig context. What deploy, forward and undeploy share.
 */
public record StackTarget(String stack, String namespace, ClusterConnector.Options cluster) {

  public static StackTarget of(
      String stack, String namespace, File kubeconfig, String context, List<String> allowedContexts, Map<String, String> environment) {
    String name = Values.text(stack);
    if (name == null) {
      throw new ConfigurationException("<stack> (-Dllmstack.stack) is empty.", "Leave it unset (the artifactId) or name the stack.");
    }
    List<String> allowed = Values.list(allowedContexts);
    return new StackTarget(
        name,
        Values.text(namespace),
        new ClusterConnector.Options(
            kubeconfig == null ? null : kubeconfig.toPath(),
            Values.text(context),
            allowed.isEmpty() ? ClusterConnector.DEFAULT_ALLOWED_CONTEXTS : allowed,
            Map.copyOf(environment)));
  }

  /** The one home of the default namespace: {@code <namespace>} if set, else the connected context's. */
  public String namespaceOn(ClusterConnector.Connection connection) {
    return namespace != null ? namespace : connection.namespace();
  }
}
