package dev.llmstack.forward;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Optional;

/**
 * Resolves a Service port's targetPort on one pod, numeric or named, as kube-proxy does. (fabric8's
 * service port-forward ignores targetPort; resolving it here is why forward goes to pods.)
 */
public final class TargetPorts {

  private TargetPorts() {}

  public static Optional<Integer> resolve(ServicePort servicePort, Pod pod) {
    IntOrString target = servicePort.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return Optional.of(servicePort.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    String name = target.getStrVal();
    if (name.chars().allMatch(Character::isDigit)) {
      return Optional.of(Integer.parseInt(name));
    }
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (name.equals(p.getName())) {
          return Optional.of(p.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }
}
