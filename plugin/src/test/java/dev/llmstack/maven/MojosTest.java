package dev.llmstack.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.DeployConfig;
import dev.llmstack.config.DevConfig;
import dev.llmstack.config.ForwardConfig;
import dev.llmstack.config.UndeployConfig;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.forward.Endpoint;
import dev.llmstack.image.BuildTarget;
import dev.llmstack.kube.ClusterConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each goal against a fake hub: its parameters become the call it makes; skip flags; errors become Maven's. */
class MojosTest {

  private static final SettingsDecrypter NO_SECRETS = request -> {
    throw new AssertionError("no settings.xml servers here");
  };

  @TempDir Path basedir;
  private final FakeHub hub = new FakeHub();
  private MavenProject project;
  private MavenSession session;

  @BeforeEach
  void project() throws IOException {
    project = new MavenProject();
    project.setFile(Files.writeString(basedir.resolve("pom.xml"), "<project/>").toFile());
    @SuppressWarnings("deprecation")
    MavenSession s = new MavenSession(null, null, new DefaultMavenExecutionRequest(), new DefaultMavenExecutionResult());
    session = s;
  }

  private <T extends AbstractLlmstackMojo> T prepared(T mojo) {
    mojo.project = project;
    mojo.session = session;
    mojo.pluginVersion = "1.2.3";
    return mojo;
  }

  private static ImageParameter image(String name) {
    ImageParameter image = new ImageParameter();
    image.name = name;
    image.from = "busybox:1.36";
    return image;
  }

  private BuildMojo build() {
    BuildMojo mojo = prepared(new BuildMojo(NO_SECRETS, hub));
    mojo.images = new ArrayList<>(List.of(image("web")));
    mojo.target = "docker";
    mojo.tag = "dev";
    mojo.outputDirectory = basedir.resolve("target/llmstack").toFile();
    return mojo;
  }

  private DeployMojo deploy() {
    DeployMojo mojo = prepared(new DeployMojo(NO_SECRETS, hub));
    mojo.target = "docker";
    mojo.tag = "dev";
    mojo.outputDirectory = basedir.resolve("target/llmstack").toFile();
    mojo.stack = "shop";
    mojo.allowedContexts = List.of("minikube");
    mojo.timeout = 600;
    mojo.overlay = basedir.resolve("k8s/overlays/dev").toFile();
    return mojo;
  }

  @Test
  @DisplayName("build: the images and the target become one BuildConfig (validated), one build call")
  void buildCall() throws Exception {
    BuildMojo mojo = build();
    mojo.minikubeProfile = "  ";
    mojo.dockerHost = " tcp://127.0.0.1:2376 ";

    mojo.execute();

    BuildConfig config = hub.only(BuildConfig.class);
    assertThat(hub.methods).containsExactly("build");
    assertThat(config.images()).extracting(i -> i.name()).containsExactly("web");
    assertThat(config.destination().target()).isEqualTo(BuildTarget.DOCKER);
    assertThat(config.destination().minikubeProfile()).isNull(); // blank is unset
    assertThat(config.destination().dockerHost()).isEqualTo("tcp://127.0.0.1:2376");
    assertThat(config.tag()).isEqualTo("dev");
    assertThat(config.toolVersion()).isEqualTo("1.2.3");
    assertThat(config.recordFile()).isEqualTo(basedir.resolve("target/llmstack/images.json"));
  }

  @Test
  @DisplayName("llmstack.skip and each goal's own skip make no call")
  void skips() throws Exception {
    BuildMojo skipped = build();
    skipped.skip = true;
    skipped.execute();
    BuildMojo buildSkip = build();
    buildSkip.skipBuild = true;
    buildSkip.execute();
    DeployMojo deploySkip = deploy();
    deploySkip.skipDeploy = true;
    deploySkip.execute();
    UndeployMojo kept = prepared(new UndeployMojo(hub));
    kept.keep = true;
    kept.execute();

    assertThat(hub.methods).isEmpty();
  }

  @Test
  @DisplayName("deploy: cluster parameters trimmed (blank namespace: the context's), adopt entries trimmed, no images: no build")
  void deployCall() throws Exception {
    DeployMojo mojo = deploy();
    mojo.namespace = " ";
    mojo.context = " kind-dev ";
    mojo.allowedContexts = List.of(" kind-* ", "");
    mojo.adopt = List.of(" Service/dev-web ", " ");
    mojo.forceApply = true;

    mojo.execute();

    DeployConfig config = hub.only(DeployConfig.class);
    assertThat(config.request().namespace()).isNull();
    assertThat(config.request().cluster().context()).isEqualTo("kind-dev");
    assertThat(config.request().cluster().allowedContexts()).containsExactly("kind-*");
    assertThat(config.request().adopt()).containsExactly("Service/dev-web");
    assertThat(config.request().forceApply()).isTrue();
    assertThat(config.request().timeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(config.request().tooling()).isEqualTo("llmstack-maven-plugin/1.2.3");
    assertThat(config.build()).isNull();
  }

  @Test
  @DisplayName("deploy with images builds them first; with llmstack.build.skip it deploys the last build's")
  void deployBuilds() throws Exception {
    DeployMojo mojo = deploy();
    mojo.images = new ArrayList<>(List.of(image("web")));
    mojo.skipBuild = true;

    mojo.execute();

    DeployConfig config = hub.only(DeployConfig.class);
    assertThat(config.build().images()).extracting(i -> i.name()).containsExactly("web");
    assertThat(config.skipBuild()).isTrue();
  }

  @Test
  @DisplayName("an empty allowedContexts falls back to the defaults, never to 'anything'")
  void emptyAllowedContexts() throws Exception {
    DeployMojo mojo = deploy();
    mojo.allowedContexts = List.of();

    mojo.execute();

    assertThat(hub.only(DeployConfig.class).request().cluster().allowedContexts()).isEqualTo(ClusterConnector.DEFAULT_ALLOWED_CONTEXTS);
  }

  @Test
  @DisplayName("a timeout of 0 is a configuration error naming <timeout> and its property; nothing is called")
  void badTimeout() {
    DeployMojo mojo = deploy();
    mojo.timeout = 0;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoExecutionException.class)
        .hasMessage("<timeout> (-Dllmstack.timeout) is 0. Give it a number of seconds above 0.");
    assertThat(hub.methods).isEmpty();
  }

  private ForwardMojo forward(String phase) {
    ForwardMojo mojo = prepared(new ForwardMojo(hub));
    mojo.stack = "shop";
    mojo.allowedContexts = List.of("minikube");
    mojo.services = List.of(" litellm ");
    mojo.outputDirectory = basedir.resolve("target/llmstack").toFile();
    MojoDescriptor descriptor = new MojoDescriptor();
    descriptor.setGoal("forward");
    MojoExecution execution = new MojoExecution(descriptor);
    execution.setLifecyclePhase(phase);
    mojo.mojoExecution = execution;
    return mojo;
  }

  @Test
  @DisplayName("forward in a phase: in the background, URLs as project properties; from the command line: until Ctrl-C")
  void forwardCalls() throws Exception {
    hub.endpoints = List.of(new Endpoint("litellm", "dev-litellm", "http", "127.0.0.1", 4000, 4000));

    forward("pre-integration-test").execute();
    forward(null).execute();

    assertThat(hub.methods).containsExactly("forward", "forwardUntilStopped");
    ForwardConfig config = (ForwardConfig) hub.calls.get(0);
    assertThat(config.services()).containsExactly("litellm");
    assertThat(config.endpointsFile()).isEqualTo(basedir.resolve("target/llmstack/endpoints.properties"));
    assertThat(project.getProperties()).containsEntry("llmstack.litellm.url", "http://127.0.0.1:4000");
  }

  @Test
  @DisplayName("undeploy: deleteVolumes and the timeout reach the call")
  void undeployCall() throws Exception {
    UndeployMojo mojo = prepared(new UndeployMojo(hub));
    mojo.stack = "shop";
    mojo.allowedContexts = List.of("minikube");
    mojo.timeout = 30;
    mojo.deleteVolumes = true;

    mojo.execute();

    UndeployConfig config = hub.only(UndeployConfig.class);
    assertThat(config.deleteVolumes()).isTrue();
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.target().stack()).isEqualTo("shop");
  }

  @Test
  @DisplayName("dev: one call with the deploy, forward and undeploy it runs; manifests default to the overlays' parent")
  void devCall() throws Exception {
    DevMojo mojo = prepared(new DevMojo(NO_SECRETS, hub));
    mojo.images = new ArrayList<>(List.of(image("web")));
    mojo.target = "docker";
    mojo.tag = "dev";
    mojo.outputDirectory = basedir.resolve("target/llmstack").toFile();
    mojo.stack = "shop";
    mojo.allowedContexts = List.of("minikube");
    mojo.timeout = 600;
    mojo.overlay = basedir.resolve("k8s/overlays/dev").toFile();
    mojo.debounce = 50;
    mojo.keep = true;

    mojo.execute();

    DevConfig config = hub.only(DevConfig.class);
    assertThat(config.manifests()).isEqualTo(basedir.resolve("k8s").toAbsolutePath());
    assertThat(config.debounce()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.keep()).isTrue();
    assertThat(config.images()).extracting(i -> i.name()).containsExactly("web");
    assertThat(config.deploy().build().images()).hasSize(1);
  }

  @Test
  @DisplayName("check: one call with where images would go, whether build runs, the cluster and the overlay")
  void checkCall() throws Exception {
    CheckMojo mojo = prepared(new CheckMojo(NO_SECRETS, hub));
    mojo.images = new ArrayList<>(List.of(image("web")));
    mojo.target = "docker";
    mojo.tag = "dev";
    mojo.minikubeProfile = "llm";
    mojo.outputDirectory = basedir.resolve("target/llmstack").toFile();
    mojo.stack = "shop";
    mojo.allowedContexts = List.of("minikube");
    mojo.overlay = basedir.resolve("k8s/overlays/dev").toFile();
    mojo.skipBuild = true;

    mojo.execute();

    dev.llmstack.config.CheckConfig config = hub.only(dev.llmstack.config.CheckConfig.class);
    assertThat(config.request().images().minikubeProfile()).isEqualTo("llm");
    assertThat(config.request().buildsImages()).isFalse();
    assertThat(config.request().overlay()).isEqualTo(basedir.resolve("k8s/overlays/dev"));
  }

  @Test
  @DisplayName("a configuration problem becomes MojoExecutionException, a failing stack MojoFailureException, same message")
  void errors() {
    hub.failure = new ConfigurationException("Kube context 'prod' is not allowed.", "Switch context.");
    assertThatThrownBy(deploy()::execute).isInstanceOf(MojoExecutionException.class)
        .hasMessage("Kube context 'prod' is not allowed. Switch context.");

    hub.failure = new StackFailureException("Deployment dev-web keeps crashing.", "Fix it.");
    assertThatThrownBy(deploy()::execute).isInstanceOf(MojoFailureException.class)
        .hasMessage("Deployment dev-web keeps crashing. Fix it.");
  }

  @Test
  @DisplayName("an image without a name fails before any call")
  void invalidImage() {
    BuildMojo mojo = build();
    mojo.images.get(0).name = null;

    assertThatThrownBy(mojo::execute).isInstanceOf(MojoExecutionException.class);
    assertThat(hub.methods).isEmpty();
  }

  @Test
  @DisplayName("the build's hub lives in the session: two goals of one build get the same hub")
  void oneHubPerSession() {
    SessionHubs hubs = new SessionHubs();
    @SuppressWarnings("deprecation")
    MavenSession withData = new MavenSession(null, new org.eclipse.aether.DefaultRepositorySystemSession(),
        new DefaultMavenExecutionRequest(), new DefaultMavenExecutionResult());

    var first = hubs.hub(withData, dev.llmstack.log.BuildLog.silent());
    var second = hubs.hub(withData, dev.llmstack.log.BuildLog.silent());

    assertThat(second).isSameAs(first);
    // the session's end closes it: the request's listener was wrapped
    withData.getRequest().getExecutionListener().sessionEnded(null);
    assertThatThrownBy(() -> ((dev.llmstack.hub.DefaultStackHub) first).forward(null)).isInstanceOf(RuntimeException.class);
  }

}
