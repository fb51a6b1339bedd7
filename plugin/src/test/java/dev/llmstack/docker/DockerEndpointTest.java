package dev.llmstack.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DockerEndpointTest {

  @Test
  @DisplayName("uses the default socket when DOCKER_HOST is not set")
  void defaultSocket() {
    // Given an environment without DOCKER_HOST
    // When the endpoint is read from it
    DockerEndpoint endpoint = DockerEndpoint.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"));

    // Then it is the default socket, without TLS
    assertThat(endpoint.host()).isEqualTo("unix:///var/run/docker.sock").isEqualTo(DockerEndpoint.DEFAULT_SOCKET);
    assertThat(endpoint.tlsVerify()).isFalse();
    assertThat(endpoint.certPath()).isNull();
    assertThat(endpoint.origin()).isEqualTo("the local Docker daemon");
  }

  @Test
  @DisplayName("treats a blank DOCKER_HOST as not set")
  void blankHost() {
    assertThat(DockerEndpoint.fromEnvironment(Map.of("DOCKER_HOST", "  ")).host()).isEqualTo(DockerEndpoint.DEFAULT_SOCKET);
  }

  @Test
  @DisplayName("uses DOCKER_HOST with TLS and certificates from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH")
  void tls() {
    DockerEndpoint endpoint =
        DockerEndpoint.fromEnvironment(
            Map.of("DOCKER_HOST", "tcp://10.0.0.1:2376", "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/certs"));

    assertThat(endpoint)
        .isEqualTo(new DockerEndpoint("tcp://10.0.0.1:2376", true, Path.of("/certs"), "DOCKER_HOST=tcp://10.0.0.1:2376"));
    assertThat(endpoint.toString()).isEqualTo("tcp://10.0.0.1:2376 (DOCKER_HOST=tcp://10.0.0.1:2376)");
  }

  @Test
  @DisplayName("uses DOCKER_HOST without TLS when DOCKER_TLS_VERIFY is not 1")
  void plain() {
    DockerEndpoint endpoint =
        DockerEndpoint.fromEnvironment(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock", "DOCKER_TLS_VERIFY", "0"));

    assertThat(endpoint.host()).isEqualTo("unix:///run/user/1000/docker.sock");
    assertThat(endpoint.tlsVerify()).isFalse();
    assertThat(endpoint.certPath()).isNull();
  }

  @Test
  @DisplayName("reads minikube docker-env variables, keeping the given origin")
  void dockerEnv() {
    DockerEndpoint endpoint =
        DockerEndpoint.fromDockerEnv(
            Map.of(
                "DOCKER_TLS_VERIFY", "1",
                "DOCKER_HOST", "tcp://192.168.49.2:2376",
                "DOCKER_CERT_PATH", "/home/me/.minikube/certs",
                "MINIKUBE_ACTIVE_DOCKERD", "minikube"),
            "minikube profile 'minikube' docker-env");

    assertThat(endpoint)
        .isEqualTo(
            new DockerEndpoint(
                "tcp://192.168.49.2:2376", true, Path.of("/home/me/.minikube/certs"), "minikube profile 'minikube' docker-env"));
  }
}
