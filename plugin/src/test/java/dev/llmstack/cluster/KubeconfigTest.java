package dev.llmstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The light kubeconfig reading of deploy's no-change check: what it takes, and where it steps aside. */
class KubeconfigTest {

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("config"), yaml);
  }

  private static final String TWO_CONTEXTS = """
      apiVersion: v1
      kind: Config
      current-context: minikube
      clusters:
      - name: minikube
        cluster:
          server: https://192.168.49.2:8443
          certificate-authority: certs/ca.crt
          extensions:
          - name: cluster_info
            extension: {provider: minikube.sigs.k8s.io}
      - name: other
        cluster:
          server: "http://127.0.0.1:8080"
          insecure-skip-tls-verify: true
      contexts:
      - name: minikube
        context: {cluster: minikube, user: minikube, namespace: llm}
      - name: other
        context:
          cluster: other
          user: tokens
      users:
      - name: minikube
        user:
          client-certificate: /abs/client.crt
          client-key-data: %s
      - name: tokens
        user:
          token: 's3cret'
      """;

  @Test
  @DisplayName("the current context: server, namespace, CA file relative to the kubeconfig, client certificate and key")
  void currentContext() throws IOException {
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/ca.crt"), "CA");
    Path client = Files.writeString(dir.resolve("client.crt"), "CERT");
    Path file = write(TWO_CONTEXTS.replace("/abs/client.crt", client.toString())
        .formatted(Base64.getEncoder().encodeToString("KEY".getBytes(StandardCharsets.US_ASCII))));

    Kubeconfig.Target t = Kubeconfig.read(file, null).orElseThrow();

    assertThat(t.context()).isEqualTo("minikube");
    assertThat(t.server()).isEqualTo("https://192.168.49.2:8443");
    assertThat(t.namespace()).isEqualTo("llm");
    assertThat(new String(t.ca(), StandardCharsets.US_ASCII)).isEqualTo("CA");
    assertThat(new String(t.clientCert(), StandardCharsets.US_ASCII)).isEqualTo("CERT");
    assertThat(new String(t.clientKey(), StandardCharsets.US_ASCII)).isEqualTo("KEY");
    assertThat(t.insecure()).isFalse();
    assertThat(t.token()).isNull();
  }

  @Test
  @DisplayName("an explicit context: token, insecure, no namespace")
  void explicitContext() throws IOException {
    Path file = write(TWO_CONTEXTS.formatted("S0VZ"));

    Kubeconfig.Target t = Kubeconfig.read(file, "other").orElseThrow();

    assertThat(t.server()).isEqualTo("http://127.0.0.1:8080");
    assertThat(t.token()).isEqualTo("s3cret");
    assertThat(t.insecure()).isTrue();
    assertThat(t.namespace()).isNull();
    assertThat(t.ca()).isNull();
  }

  @Test
  @DisplayName("steps aside for what it does not do: exec plugins, auth providers, proxies, token files, unknown or missing contexts, broken files")
  void stepsAside() throws IOException {
    String base = """
        current-context: c
        clusters:
        - name: c
          cluster:
            server: https://k:6443
        %s
        contexts:
        - name: c
          context: {cluster: c, user: u}
        users:
        - name: u
          user:
        %s
        """;
    String plainCluster = "";
    for (String user : new String[] {
        "    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}",
        "    auth-provider: {name: oidc}",
        "    tokenFile: /var/run/token",
        "    username: admin\n    password: x",
        "    client-certificate-data: Q0VSVA==",
    }) {
      assertThat(Kubeconfig.read(write(base.formatted(plainCluster, user)), null)).as(user).isEmpty();
    }
    String proxied = base.replace("    server: https://k:6443", "    server: https://k:6443\n    proxy-url: http://proxy:3128");
    assertThat(Kubeconfig.read(write(proxied.formatted(plainCluster, "    token: t")), null)).isEmpty();
    assertThat(Kubeconfig.read(write(base.formatted(plainCluster, "    token: t")), "nope")).isEmpty();
    assertThat(Kubeconfig.read(write("current-context: [unclosed"), null)).isEmpty();
    assertThat(Kubeconfig.read(dir.resolve("missing"), null)).isEmpty();
    assertThat(Kubeconfig.read(write(base.formatted(plainCluster, "    token: t")), null)).isPresent();
  }
}
