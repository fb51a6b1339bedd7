package dev.llmstack.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;

/** The pod spec inside any object that runs pods. */
public final class PodSpecs {

  private PodSpecs() {}

  /** The kinds that run pods: a Pod, or an object with a pod template ({@link #template}). */
  public static final List<Class<? extends HasMetadata>> RUN_PODS =
      List.of(Pod.class, Deployment.class, StatefulSet.class, DaemonSet.class, ReplicaSet.class, Job.class, CronJob.class);

  public static Optional<PodSpec> of(HasMetadata object) {
    return template(object).map(PodTemplateSpec::getSpec).or(() -> object instanceof Pod p ? Optional.ofNullable(p.getSpec()) : Optional.empty());
  }

  public static Optional<PodTemplateSpec> template(HasMetadata object) {
    PodTemplateSpec template = null;
    if (object instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (object instanceof StatefulSet s && s.getSpec() != null) {
      template = s.getSpec().getTemplate();
    } else if (object instanceof DaemonSet d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (object instanceof ReplicaSet r && r.getSpec() != null) {
      template = r.getSpec().getTemplate();
    } else if (object instanceof Job j && j.getSpec() != null) {
      template = j.getSpec().getTemplate();
    } else if (object instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      template = c.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return Optional.ofNullable(template);
  }
}
