package dev.llmstack.minikube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmstack.docker.DockerEndpoint;
import dev.llmstack.error.ConfigurationException;
import dev.llmstack.image.BuildTarget;
import dev.llmstack.image.ImageDestination;
import dev.llmstack.log.RecordingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestinationResolverTest {

  @TempDir Path dir;
  private FakeMinikube fake;
  private Path tars;
  private final RecordingLog log = new RecordingLog();

  @BeforeEach
  void install() throws IOException {
    fake = FakeMinikube.installIn(dir);
    tars = dir.resolve("target/llmstack/images");
  }

  @Test
  @DisplayName("docker target, running profile: minikube's daemon from its docker-env")
  void dockerRunning() {
    // Given a running minikube profile with a Docker runtime
    DestinationResolver.Options options = docker("running", fake.executable().toString(), null);

    // When the destination is resolved
    ImageDestination destination = resolver(Map.of()).resolve(options);

    // Then it is minikube's daemon, over TLS with its certificates
    assertThat(destination).isInstanceOfSatisfying(ImageDestination.Daemon.class, d -> {
      DockerEndpoint e = d.endpoint();
      assertThat(e.host()).isEqualTo("tcp://10.0.0.1:2376");
      assertThat(e.tlsVerify()).isTrue();
      assertThat(e.certPath()).isEqualTo(Path.of("/certs"));
      assertThat(e.origin()).contains("minikube profile 'running'");
    });
    assertThat(log.warnings).isEmpty();
  }

  @Test
  @DisplayName("docker target, explicit profile that is stopped: refuses, saying how to start it")
  void dockerStoppedExplicit() {
    assertThatThrownBy(() -> resolver(Map.of()).resolve(docker("stopped", fake.executable().toString(), null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'stopped' is not running (Stopped)")
        .hasMessageContaining("minikube start -p stopped")
        .hasMessageContaining("<minikubeProfile>");
  }

  @Test
  @DisplayName("docker target, default profile not running: the local daemon named by the environment")
  void dockerDefaultProfileNotRunning() {
    // Given no profile configured, a minikube whose default profile does not exist, and DOCKER_HOST set
    Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375");

    // When the destination is resolved
    ImageDestination destination = resolver(env).resolve(docker(null, fake.executable().toString(), null));

    // Then it is the daemon from the environment, and the log says why
    assertThat(destination).isInstanceOfSatisfying(ImageDestination.Daemon.class, d -> {
      assertThat(d.endpoint().host()).isEqualTo("tcp://127.0.0.1:2375");
      assertThat(d.endpoint().tlsVerify()).isFalse();
    });
    assertThat(log.infos).singleElement().asString()
        .contains("tcp://127.0.0.1:2375")
        .contains("minikube profile 'minikube' is not running");
  }

  @Test
  @DisplayName("docker target, default profile not running, no DOCKER_HOST: the default socket")
  void dockerDefaultSocket() {
    ImageDestination destination = resolver(Map.of()).resolve(docker(null, fake.executable().toString(), null));

    assertThat(destination)
        .isEqualTo(new ImageDestination.Daemon(new DockerEndpoint(DockerEndpoint.DEFAULT_SOCKET, false, null, "the local Docker daemon")));
  }

  @Test
  @DisplayName("docker target, containerd profile: tar files loaded with minikube image load, with a warning")
  void dockerContainerd() throws IOException {
    // Given a running profile whose runtime is containerd
    DestinationResolver.Options options = docker("containerd", fake.executable().toString(), null);

    // When the destination is resolved
    ImageDestination destination = resolver(Map.of()).resolve(options);

    // Then images go to tar files in the tar directory, with a loader into that profile
    assertThat(destination).isInstanceOf(ImageDestination.Tar.class);
    ImageDestination.Tar tar = (ImageDestination.Tar) destination;
    assertThat(tar.directory()).isEqualTo(tars);
    assertThat(tar.loader()).isNotNull();
    assertThat(tar.loader().describe()).isEqualTo("minikube -p containerd image load");
    assertThat(tar.describe()).contains(tars.toString(), "minikube -p containerd image load");

    // And the user is warned why
    assertThat(log.warnings).singleElement().asString()
        .contains("'containerd'", "containerd", "minikube image load");

    // And the loader runs minikube image load on the tar
    Path image = tars.resolve("litellm.tar");
    tar.loader().load(image);
    assertThat(fake.imageLoads()).containsExactly("-p containerd image load " + image);
  }

  @Test
  @DisplayName("docker target, explicit executable that does not exist: refuses, naming <minikubeExecutable>")
  void missingExecutable() {
    String missing = dir.resolve("bin/minikube").toString();

    assertThatThrownBy(() -> resolver(Map.of()).resolve(docker(null, missing, null)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("not found")
        .hasMessageContaining("<minikubeExecutable>");
  }

  @Test
  @DisplayName("docker target, explicit dockerHost: that daemon, without asking minikube")
  void explicitDockerHost() throws IOException {
    ImageDestination destination =
        resolver(Map.of("DOCKER_HOST", "tcp://ignored:2375"))
            .resolve(docker("running", fake.executable().toString(), "tcp://192.168.1.5:2376"));

    assertThat(destination)
        .isEqualTo(new ImageDestination.Daemon(new DockerEndpoint("tcp://192.168.1.5:2376", false, null, "<dockerHost>")));
    assertThat(fake.calls()).isEmpty();
  }

  @Test
  @DisplayName("docker target, explicit dockerHost and cert path: that daemon with TLS")
  void explicitDockerHostTls() {
    DestinationResolver.Options options =
        new DestinationResolver.Options(BuildTarget.DOCKER, null, tars, null, null, "tcp://192.168.1.5:2376", Path.of("/my/certs"), null);

    ImageDestination destination = resolver(Map.of()).resolve(options);

    assertThat(destination)
        .isEqualTo(new ImageDestination.Daemon(new DockerEndpoint("tcp://192.168.1.5:2376", true, Path.of("/my/certs"), "<dockerHost>")));
  }

  @Test
  @DisplayName("registry target without a registry: refuses, naming <registry>")
  void registryMissing() {
    for (String registry : new String[] {null, " "}) {
      DestinationResolver.Options options =
          new DestinationResolver.Options(BuildTarget.REGISTRY, registry, tars, null, null, null, null, null);

      assertThatThrownBy(() -> resolver(Map.of()).resolve(options))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("<registry>")
          .hasMessageContaining("-Dllmstack.registry");
    }
  }

  @Test
  @DisplayName("registry target: the registry as prefix, without trailing slashes")
  void registry() {
    DestinationResolver.Options options =
        new DestinationResolver.Options(BuildTarget.REGISTRY, "localhost:5000/llmstack//", tars, null, null, null, null, null);

    assertThat(resolver(Map.of()).resolve(options)).isEqualTo(new ImageDestination.Registry("localhost:5000/llmstack"));
  }

  @Test
  @DisplayName("tar target, containerd profile: tars with a minikube image load loader")
  void tarContainerd() {
    DestinationResolver.Options options =
        new DestinationResolver.Options(BuildTarget.TAR, null, tars, "containerd", fake.executable().toString(), null, null, null);

    ImageDestination destination = resolver(Map.of()).resolve(options);

    assertThat(destination).isInstanceOfSatisfying(ImageDestination.Tar.class, t -> {
      assertThat(t.directory()).isEqualTo(tars);
      assertThat(t.loader()).isNotNull();
    });
  }

  @Test
  @DisplayName("tar target, default profile not running: tars only")
  void tarNoMinikube() {
    DestinationResolver.Options options =
        new DestinationResolver.Options(BuildTarget.TAR, null, tars, null, fake.executable().toString(), null, null, null);

    assertThat(resolver(Map.of()).resolve(options)).isEqualTo(new ImageDestination.Tar(tars, null));
  }

  @Test
  @DisplayName("registry target: asks nothing of minikube, even with a silent log")
  void registryNeedsNoMinikube() {
    DestinationResolver.Options options =
        new DestinationResolver.Options(BuildTarget.REGISTRY, "localhost:5000", tars, "stopped", "/nowhere/minikube", null, null, null);

    assertThat(new DestinationResolver(Map.of(), dev.llmstack.log.BuildLog.silent()).resolve(options))
        .isEqualTo(new ImageDestination.Registry("localhost:5000"));
  }

  @Test
  @DisplayName("tar target, explicit executable that does not exist: refuses")
  void tarMissingExecutable() {
    DestinationResolver.Options options =
        new DestinationResolver.Options(BuildTarget.TAR, null, tars, null, dir.resolve("nope").toString(), null, null, null);

    assertThatThrownBy(() -> resolver(Map.of()).resolve(options)).isInstanceOf(ConfigurationException.class);
  }

  @Test
  @DisplayName("minikube's docker-env is remembered with the daemon's ID: the next build asks minikube nothing")
  void rememberedDockerEnvSkipsMinikube() throws IOException {
    ImageDestination.Daemon first = askedAndAnswered("running", "DAEMON-1");
    assertThat(first.finder().rememberedDaemonId()).isEmpty();
    assertThat(fake.calls()).containsExactly("-p running status -o json", "-p running docker-env --shell none");

    ImageDestination.Daemon second = resolveRemembering("running");

    assertThat(fake.calls()).hasSize(2);
    assertThat(second.finder().rememberedDaemonId()).contains("DAEMON-1");
    DockerEndpoint e = second.endpoint();
    assertThat(e.host()).isEqualTo("tcp://10.0.0.1:2376");
    assertThat(e.tlsVerify()).isTrue();
    assertThat(e.certPath()).isEqualTo(Path.of("/certs"));
    assertThat(e.origin()).isEqualTo("minikube profile 'running' docker-env, remembered");
    // what is kept: where the daemon is and which one it is; the certificates stay with minikube
    assertThat(Files.readString(state().resolve("minikube-docker-env.json")))
        .contains("\"profile\" : \"running\"", "\"host\" : \"tcp://10.0.0.1:2376\"", "\"certPath\" : \"/certs\"",
            "\"daemonId\" : \"DAEMON-1\"", "\"executable\" : \"" + fake.executable() + "\"");
  }

  @Test
  @DisplayName("what was remembered for another profile is not used: minikube is asked")
  void rememberedForAnotherProfileIsNotUsed() throws IOException {
    askedAndAnswered("running", "DAEMON-1");

    ImageDestination.Daemon other = resolveRemembering("multinode");

    assertThat(other.finder().rememberedDaemonId()).isEmpty();
    assertThat(fake.calls()).endsWith("-p multinode status -o json", "-p multinode docker-env --shell none");
  }

  @Test
  @DisplayName("a remembered daemon that is gone: minikube is asked again and the memory forgotten until the new one answers")
  void findAgainAsksMinikube() throws IOException {
    askedAndAnswered("running", "DAEMON-1");
    ImageDestination.Daemon remembered = resolveRemembering("running");

    ImageDestination.Daemon again = remembered.finder().findAgain();

    assertThat(fake.calls()).hasSize(4);
    assertThat(again.endpoint().origin()).isEqualTo("minikube profile 'running' docker-env");
    assertThat(again.finder().rememberedDaemonId()).isEmpty();
    assertThat(state().resolve("minikube-docker-env.json")).doesNotExist();
  }

  @Test
  @DisplayName("a remembered daemon that is gone because its profile stopped: the error minikube's status gives")
  void findAgainWhenTheProfileStopped() throws IOException {
    Files.createDirectories(state());
    Files.writeString(state().resolve("minikube-docker-env.json"),
        "{\"executable\":\"" + fake.executable() + "\",\"profile\":\"stopped\",\"host\":\"tcp://10.0.0.1:2376\","
            + "\"tlsVerify\":true,\"certPath\":\"/certs\",\"daemonId\":\"DAEMON-1\"}");
    ImageDestination.Daemon remembered = resolveRemembering("stopped");
    assertThat(fake.calls()).isEmpty();

    assertThatThrownBy(() -> remembered.finder().findAgain())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'stopped' is not running (Stopped)");
  }

  @Test
  @DisplayName("an unreadable memory is ignored: minikube is asked")
  void unreadableMemory() throws IOException {
    Files.createDirectories(state());
    Files.writeString(state().resolve("minikube-docker-env.json"), "{ not json");

    ImageDestination.Daemon asked = resolveRemembering("running");

    assertThat(asked.finder().rememberedDaemonId()).isEmpty();
    assertThat(fake.calls()).hasSize(2);
  }

  /** A build that asked minikube, and whose daemon then answered with that ID. */
  private ImageDestination.Daemon askedAndAnswered(String profile, String daemonId) {
    ImageDestination.Daemon asked = resolveRemembering(profile);
    asked.finder().remember(asked.endpoint(), daemonId);
    return asked;
  }

  private ImageDestination.Daemon resolveRemembering(String profile) {
    return (ImageDestination.Daemon) resolver(Map.of()).resolve(remembering(profile));
  }

  private Path state() {
    return dir.resolve("target/llmstack");
  }

  private DestinationResolver.Options remembering(String profile) {
    return new DestinationResolver.Options(
        BuildTarget.DOCKER, null, tars, profile, fake.executable().toString(), null, null, state());
  }

  private DestinationResolver resolver(Map<String, String> env) {
    return new DestinationResolver(env, log);
  }

  private DestinationResolver.Options docker(String profile, String executable, String dockerHost) {
    return new DestinationResolver.Options(BuildTarget.DOCKER, null, tars, profile, executable, dockerHost, null, null);
  }
}
