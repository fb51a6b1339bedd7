package dev.llmstack.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.log.RecordingLog;
import dev.llmstack.rollout.WorkloadKind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StackDecoratorTest {

  private static final String BUILT = "litellm:3b4c4c18550b";

  private final RecordingLog log = new RecordingLog();

  private static Container container(String name, String image) {
    return new ContainerBuilder().withName(name).withImage(image).build();
  }

  private static Deployment deployment(List<Container> init, List<Container> containers) {
    return new DeploymentBuilder()
        .withNewMetadata().withName("litellm").withLabels(Map.of("app", "litellm")).endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewMetadata().withLabels(Map.of("app", "litellm")).endMetadata()
        .withNewSpec().withInitContainers(init).withContainers(containers).endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static PodSpec spec(Deployment d) {
    return d.getSpec().getTemplate().getSpec();
  }

  private static List<HasMetadata> list(HasMetadata... objects) {
    return new ArrayList<>(List.of(objects));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "litellm:dev, litellm, litellm:3b4c4c18550b",
    "litellm, litellm, litellm:3b4c4c18550b",
    "registry:5000/x/litellm:dev, registry:5000/x/litellm, registry:5000/x/litellm:3b4c4c18550b",
    "registry:5000/x/litellm, registry:5000/x/litellm, registry:5000/x/litellm:3b4c4c18550b",
    "litellm@sha256:0123abcd, litellm, litellm:3b4c4c18550b",
  })
  @DisplayName("rewrites an image whose repository was built to the built reference")
  void rewritesBuiltImage(String image, String repository, String built) {
    // Given a Deployment using the image, and a build of its repository
    Deployment d = deployment(List.of(), List.of(container("app", image)));
    StackDecorator decorator = new StackDecorator("demo", Map.of(repository, built), log);

    // When decorated
    decorator.decorate(list(d));

    // Then the container points at the built reference
    assertThat(spec(d).getContainers().get(0).getImage()).isEqualTo(built);
    assertThat(log.warnings).isEmpty();
  }

  @Test
  @DisplayName("rewrites init containers too, and leaves images that were not built alone")
  void initContainersAndOthers() {
    // Given a Deployment with a built image in an init container and a container, plus foreign images
    Deployment d =
        deployment(
            List.of(container("migrate", "litellm:dev"), container("wait-for-postgres", "busybox:1.36")),
            List.of(container("litellm", "litellm:dev"), container("sidecar", "ghcr.io/other/litellm:dev"),
                container("proxy", "nginx:1.27")));

    // When decorated with only litellm built
    new StackDecorator("demo", Map.of("litellm", BUILT), log).decorate(list(d));

    // Then both litellm references are rewritten, the others are untouched
    assertThat(spec(d).getInitContainers()).extracting(Container::getImage).containsExactly(BUILT, "busybox:1.36");
    assertThat(spec(d).getContainers()).extracting(Container::getImage)
        .containsExactly(BUILT, "ghcr.io/other/litellm:dev", "nginx:1.27");
  }

  @Test
  @DisplayName("a repository that only shares a suffix or prefix with a built one is not rewritten")
  void noPartialMatches() {
    Deployment d = deployment(List.of(), List.of(
        container("a", "litellm-proxy:dev"), container("b", "x/litellm:dev"), container("c", "lite:dev")));

    new StackDecorator("demo", Map.of("litellm", BUILT), log).decorate(list(d));

    assertThat(spec(d).getContainers()).extracting(Container::getImage)
        .containsExactly("litellm-proxy:dev", "x/litellm:dev", "lite:dev");
  }

  @Test
  @DisplayName("rewrites images in StatefulSets, Jobs, CronJobs and bare Pods")
  void otherWorkloads() {
    // Given every kind of pod-running object using litellm:dev
    var sts = new StatefulSetBuilder().withNewMetadata().withName("s").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().withContainers(container("c", "litellm:dev")).endSpec().endTemplate().endSpec()
        .build();
    var job = new JobBuilder().withNewMetadata().withName("j").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().withContainers(container("c", "litellm:dev")).endSpec().endTemplate().endSpec()
        .build();
    var cron = new CronJobBuilder().withNewMetadata().withName("cj").endMetadata()
        .withNewSpec().withSchedule("* * * * *").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
        .withContainers(container("c", "litellm:dev")).endSpec().endTemplate().endSpec().endJobTemplate().endSpec()
        .build();
    Pod pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
        .withNewSpec().withContainers(container("c", "litellm:dev")).endSpec().build();

    // When decorated
    new StackDecorator("demo", Map.of("litellm", BUILT), log).decorate(list(sts, job, cron, pod));

    // Then all of them use the built image
    assertThat(List.of(sts, job, cron, pod))
        .allSatisfy(o -> assertThat(WorkloadKind.podSpecOf(o)).hasValueSatisfying(
            s -> assertThat(s.getContainers().get(0).getImage()).isEqualTo(BUILT)));
  }

  @Test
  @DisplayName("adds the stack labels to every object and keeps the labels it had")
  void labels() {
    // Given a labelled Deployment, an unlabelled ConfigMap and a Service
    Deployment d = deployment(List.of(), List.of(container("litellm", "litellm:dev")));
    var cm = new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().build();
    var svc = new ServiceBuilder().withNewMetadata().withName("litellm")
        .withLabels(Map.of("app", "litellm", "tier", "api")).endMetadata().build();

    // When decorated for stack demo
    List<HasMetadata> out = new StackDecorator("demo", Map.of(), log).decorate(list(d, cm, svc));

    // Then each has managed-by and stack, and its own labels survive
    assertThat(out).containsExactly(d, cm, svc);
    assertThat(out).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "llmstack-maven-plugin")
        .containsEntry("llmstack.dev/stack", "demo"));
    assertThat(d.getMetadata().getLabels()).containsEntry("app", "litellm").hasSize(3);
    assertThat(cm.getMetadata().getLabels()).hasSize(2);
    assertThat(svc.getMetadata().getLabels()).containsEntry("app", "litellm").containsEntry("tier", "api").hasSize(4);
    // and the pod template is not relabelled (that would change the selector's pods)
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsOnly(Map.entry("app", "litellm"));
  }

  @Test
  @DisplayName("the stack's labels win over conflicting ones in the overlay")
  void stackLabelsWin() {
    var cm = new ConfigMapBuilder().withNewMetadata().withName("settings")
        .withLabels(Map.of("app.kubernetes.io/managed-by", "kustomize", "llmstack.dev/stack", "other")).endMetadata().build();

    new StackDecorator("demo", Map.of(), log).decorate(list(cm));

    assertThat(cm.getMetadata().getLabels()).isEqualTo(StackDecorator.stackLabels("demo"));
  }

  @Test
  @DisplayName("imagePullPolicy Always on a rewritten image logs a warning naming the object, container and image")
  void pullPolicyAlways() {
    // Given the built image with imagePullPolicy Always, and a foreign image with Always
    Container built = container("litellm", "litellm:dev");
    built.setImagePullPolicy("Always");
    Container foreign = container("proxy", "nginx:1.27");
    foreign.setImagePullPolicy("Always");
    Deployment d = deployment(List.of(), List.of(built, foreign));
    Container inDeployment = spec(d).getContainers().get(0);

    // When decorated
    new StackDecorator("demo", Map.of("litellm", BUILT), log).decorate(list(d));

    // Then exactly one warning, about the built image
    assertThat(log.warnings).singleElement().asString()
        .contains("Deployment litellm")
        .contains("'litellm'")
        .contains(BUILT)
        .contains("imagePullPolicy Always")
        .contains("IfNotPresent or Never")
        .doesNotContain("proxy");
    assertThat(inDeployment.getImage()).isEqualTo(BUILT);
    assertThat(inDeployment.getImagePullPolicy()).as("the policy is reported, not changed").isEqualTo("Always");
  }

  @Test
  @DisplayName("IfNotPresent and Never on a rewritten image log nothing")
  void pullPolicyFine() {
    Container a = container("a", "litellm:dev");
    a.setImagePullPolicy("IfNotPresent");
    Container b = container("b", "litellm:dev");
    b.setImagePullPolicy("Never");

    new StackDecorator("demo", Map.of("litellm", BUILT), log).decorate(list(deployment(List.of(), List.of(a, b))));

    assertThat(log.warnings).isEmpty();
  }

  @Test
  @DisplayName("a container without an image is left alone")
  void noImage() {
    Deployment d = deployment(List.of(), List.of(container("empty", null)));

    new StackDecorator("demo", Map.of("litellm", BUILT), log).decorate(list(d));

    assertThat(spec(d).getContainers().get(0).getImage()).isNull();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "litellm, litellm",
    "litellm:dev, litellm",
    "ghcr.io/x/litellm:dev, ghcr.io/x/litellm",
    "ghcr.io/x/litellm, ghcr.io/x/litellm",
    "registry:5000/x/litellm:dev, registry:5000/x/litellm",
    "registry:5000/x/litellm, registry:5000/x/litellm",
    "localhost:5000/litellm, localhost:5000/litellm",
    "litellm@sha256:0123456789abcdef, litellm",
    "litellm:dev@sha256:0123456789abcdef, litellm",
    "registry:5000/x/litellm:dev@sha256:0123456789abcdef, registry:5000/x/litellm",
    "registry:5000/x/litellm@sha256:0123456789abcdef, registry:5000/x/litellm",
  })
  @DisplayName("repositoryOf drops tag and digest but keeps a registry port")
  void repositoryOf(String image, String repository) {
    assertThat(StackDecorator.repositoryOf(image)).isEqualTo(repository);
  }

  @Test
  @DisplayName("stackLabels are managed-by llmstack-maven-plugin and the stack's name")
  void stackLabels() {
    assertThat(StackDecorator.stackLabels("demo"))
        .containsOnly(Map.entry("app.kubernetes.io/managed-by", "llmstack-maven-plugin"), Map.entry("llmstack.dev/stack", "demo"));
  }
}
