package dev.llmstack.maven;

import dev.llmstack.config.StackTarget;
import java.io.File;
import java.util.List;

/** The cluster parameters deploy, forward, undeploy and dev declare, converted in one place. */
record ClusterParameters(String stack, String namespace, File kubeconfig, String context, List<String> allowedContexts) {

  StackTarget toTarget() {
    return StackTarget.of(stack, namespace, kubeconfig, context, allowedContexts, System.getenv());
  }
}
