package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A simulated controller of one kind, as the simulator runs it in every pass, for every object of the kind. */
interface Controller<T extends HasMetadata> {

  /** Creates, scales or deletes what the object owns; @return whether anything was written. */
  boolean sync(T object, ClusterState cluster);

  /** Writes the object's status from what it owns (as the kubelet left the pods in this pass). */
  boolean status(T object, ClusterState cluster);
}
