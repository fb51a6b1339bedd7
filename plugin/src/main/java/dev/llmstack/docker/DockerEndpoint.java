package dev.llmstack.docker;

import java.nio.file.Path;
import java.util.Map;

/**
 * A Docker Engine API endpoint and where it came from (said in logs and errors).
 *
 * @param host {@code unix:///path} or {@code tcp://host:port}
 * @param tlsVerify verify the daemon's certificate and present a client certificate from certPath
 * @param certPath directory with ca.pem, cert.pem and key.pem, or {@code null}
 * @param origin e.g. "minikube profile 'minikube' (docker-env)"
 */
public record DockerEndpoint(String host, boolean tlsVerify, Path certPath, String origin) {

  public static final String DEFAULT_SOCKET = "unix:///var/run/docker.sock";

  /** The daemon the docker CLI would use: DOCKER_HOST and friends, else the default socket. */
  public static DockerEndpoint fromEnvironment(Map<String, String> env) {
    String host = env.get("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      return new DockerEndpoint(DEFAULT_SOCKET, false, null, "the local Docker daemon");
    }
    String certPath = env.get("DOCKER_CERT_PATH");
    boolean tls = "1".equals(env.get("DOCKER_TLS_VERIFY"));
    return new DockerEndpoint(
        host, tls, certPath == null || certPath.isBlank() ? null : Path.of(certPath), "DOCKER_HOST=" + host);
  }

  /** Reads the output of {@code minikube docker-env --shell none} (KEY=VALUE lines). */
  public static DockerEndpoint fromDockerEnv(Map<String, String> dockerEnv, String origin) {
    DockerEndpoint parsed = fromEnvironment(dockerEnv);
    return new DockerEndpoint(parsed.host(), parsed.tlsVerify(), parsed.certPath(), origin);
  }

  @Override
  public String toString() {
    return host + " (" + origin + ")";
  }
}
