package dev.llmstack.render;

import dev.llmstack.log.BuildLog;
import dev.llmstack.rollout.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares rendered objects for apply: images that build produced are pointed at their digest
 * tags (so only changed images roll), and every object gets the stack's labels (the guard that
 * prune and undeploy rely on: they never touch an object without them).
 */
public final class StackDecorator {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "llmstack-maven-plugin";
  public static final String STACK = "llmstack.dev/stack";

  private final String stack;
  private final Map<String, String> builtImages;
  private final BuildLog log;

  /**
   * @param builtImages repository (no tag) of each built image to the reference to use, e.g.
   *     {@code litellm -> litellm:3b4c4c18550b}
   */
  public StackDecorator(String stack, Map<String, String> builtImages, BuildLog log) {
    this.stack = stack;
    this.builtImages = Map.copyOf(builtImages);
    this.log = log;
  }

  public static Map<String, String> stackLabels(String stack) {
    return Map.of(MANAGED_BY, MANAGED_BY_VALUE, STACK, stack);
  }

  public List<HasMetadata> decorate(List<HasMetadata> objects) {
    for (HasMetadata object : objects) {
      Map<String, String> labels = new HashMap<>();
      if (object.getMetadata().getLabels() != null) {
        labels.putAll(object.getMetadata().getLabels());
      }
      labels.putAll(stackLabels(stack));
      object.getMetadata().setLabels(labels);
      WorkloadKind.podSpecOf(object).ifPresent(spec -> rewriteImages(object, spec));
    }
    return objects;
  }

  private void rewriteImages(HasMetadata owner, PodSpec spec) {
    List<Container> containers = new ArrayList<>();
    if (spec.getInitContainers() != null) {
      containers.addAll(spec.getInitContainers());
    }
    if (spec.getContainers() != null) {
      containers.addAll(spec.getContainers());
    }
    for (Container c : containers) {
      String built = c.getImage() == null ? null : builtImages.get(repositoryOf(c.getImage()));
      if (built == null) {
        continue;
      }
      c.setImage(built);
      if ("Always".equals(c.getImagePullPolicy())) {
        log.warn(
            owner.getKind() + " " + owner.getMetadata().getName() + ": container '" + c.getName()
                + "' uses the locally built image " + built + " with imagePullPolicy Always, which makes"
                + " the kubelet pull it from a registry that does not have it. Use IfNotPresent or Never.");
      }
    }
  }

  /** {@code ghcr.io/x/litellm:dev} → {@code ghcr.io/x/litellm}; digests are dropped too. */
  public static String repositoryOf(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = withoutDigest.lastIndexOf('/');
    int colon = withoutDigest.lastIndexOf(':');
    return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
  }
}
