package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.Map;

/** Test fixtures. */
final class Workloads {
  private Workloads() {
  }

  static PodTemplateSpec template(String app, String image, Map<String, String> annotations, String... initContainers) {
    final PodTemplateSpecBuilder b = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app)
        .addToAnnotations(annotations).endMetadata().withNewSpec().addNewContainer().withName(app).withImage(image)
        .endContainer().endSpec();
    for (String init : initContainers) {
      b.editSpec().addNewInitContainer().withName(init).withImage("busybox").endInitContainer().endSpec();
    }
    return b.build();
  }

  static Deployment deployment(String ns, String name, int replicas, PodTemplateSpec template) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(template).endSpec().build();
  }

  static StatefulSet statefulSet(String ns, String name, int replicas, PodTemplateSpec template) {
    return new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector().addToMatchLabels("app", name)
        .endSelector().withTemplate(template).endSpec().build();
  }

  static Job job(String ns, String name, PodTemplateSpec template) {
    template.getSpec().setRestartPolicy("Never");
    return new JobBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withBackoffLimit(0).withTemplate(template).endSpec().build();
  }

  static Pod pod(String ns, String name, Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToAnnotations(annotations)
        .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("llmstack/" + name + ":dev")
        .endContainer().endSpec().build();
  }
}
