package dev.llmstack.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.llmstack.docker.DaemonClient;
import dev.llmstack.docker.DockerEndpoint;
import dev.llmstack.log.RecordingLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connecting to minikube's daemon at a remembered address, against the rig's TLS daemon (minikube's stand-in). */
class DaemonConnectionTest {

  private DockerEndpoint minikubes;
  private String daemonId;
  private final RecordingLog log = new RecordingLog();
  private final List<String> remembered = new ArrayList<>();
  private int findAgainCalls;

  @BeforeEach
  void rig() {
    String host = System.getenv("RIG_TLS_DOCKER_HOST");
    String certs = System.getenv("RIG_CERT_PATH");
    if (host == null || certs == null) {
      fail("RIG_TLS_DOCKER_HOST/RIG_CERT_PATH not set: start the rig (it/rig/rig.sh start; eval \"$(it/rig/rig.sh env)\")");
    }
    minikubes = new DockerEndpoint(host, true, Path.of(certs), "minikube profile 'minikube' docker-env");
    try (DaemonClient daemon = DaemonClient.connect(minikubes)) {
      daemonId = daemon.info().id();
    }
    assertThat(daemonId).isNotBlank();
  }

  @Test
  void theSameDaemonAtTheRememberedAddressIsUsedWithoutAskingMinikube() {
    try (DaemonClient client = DaemonConnection.open(remembered(minikubes, daemonId), log)) {
      assertThat(client.endpoint()).isEqualTo(minikubes);
    }
    assertThat(findAgainCalls).isZero();
    assertThat(remembered).isEmpty(); // nothing new to keep
  }

  @Test
  void aRememberedAddressWhereNothingAnswersAsksMinikubeAndRemembersTheNewOne() {
    DockerEndpoint gone = new DockerEndpoint("tcp://127.0.0.1:1", true, minikubes.certPath(), "minikube profile 'minikube' docker-env, remembered");

    try (DaemonClient client = DaemonConnection.open(remembered(gone, daemonId), log)) {
      assertThat(client.endpoint()).isEqualTo(minikubes);
    }
    assertThat(findAgainCalls).isOne();
    assertThat(remembered).containsExactly(minikubes.host() + " " + daemonId);
    assertThat(log.infos).contains("minikube's Docker daemon is no longer the one at tcp://127.0.0.1:1; asking minikube where it is.");
  }

  @Test
  void anotherDaemonAtTheRememberedAddressIsNotUsed() {
    try (DaemonClient client = DaemonConnection.open(remembered(minikubes, "ANOTHER-DAEMON"), log)) {
      assertThat(client.endpoint()).isEqualTo(minikubes);
    }
    assertThat(findAgainCalls).isOne();
    assertThat(remembered).containsExactly(minikubes.host() + " " + daemonId);
  }

  @Test
  void justAskedIsRememberedOnceTheDaemonAnswers() {
    try (DaemonClient client = DaemonConnection.open(new ImageDestination.Daemon(minikubes, finder(null)), log)) {
      assertThat(client.endpoint()).isEqualTo(minikubes);
    }
    assertThat(findAgainCalls).isZero();
    assertThat(remembered).containsExactly(minikubes.host() + " " + daemonId);
  }

  private ImageDestination.Daemon remembered(DockerEndpoint endpoint, String id) {
    return new ImageDestination.Daemon(endpoint, finder(id));
  }

  /** minikube, asked again, says what the rig's stand-in minikube says: the rig's TLS daemon. */
  private ImageDestination.Finder finder(String id) {
    return new ImageDestination.Finder() {
      @Override
      public Optional<String> rememberedDaemonId() {
        return Optional.ofNullable(id);
      }

      @Override
      public ImageDestination.Daemon findAgain() {
        findAgainCalls++;
        return new ImageDestination.Daemon(minikubes, finder(null));
      }

      @Override
      public void remember(DockerEndpoint endpoint, String answeringId) {
        if (!answeringId.equals(id)) {
          remembered.add(endpoint.host() + " " + answeringId);
        }
      }
    };
  }
}
