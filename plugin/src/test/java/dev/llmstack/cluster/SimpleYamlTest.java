package dev.llmstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class SimpleYamlTest {

  /** As kubectl config view --raw writes it (minikube's, with its extensions), plus comments and quoting. */
  private static final String KUBECTL_STYLE = """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority: /home/dev/.minikube/ca.crt
          extensions:
          - extension:
              last-update: Mon, 25 Nov 2026 10:00:00 UTC
              provider: minikube.sigs.k8s.io
              version: v1.34.0
            name: cluster_info
          server: https://192.168.49.2:8443   # the node
        name: minikube
      - cluster:
          certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
          insecure-skip-tls-verify: true
          server: "https://127.0.0.1:6443"
        name: 'kind-dev'
      contexts:
      - context:
          cluster: minikube
          namespace: llm
          user: minikube
        name: minikube
      - context:
          cluster: kind-dev
          user: "kind-dev"
        name: kind-dev
      current-context: minikube
      kind: Config
      preferences: {}
      users:
      # one with files, one with a token
      - name: minikube
        user:
          client-certificate: /home/dev/.minikube/profiles/minikube/client.crt
          client-key: /home/dev/.minikube/profiles/minikube/client.key
      - name: kind-dev
        user:
          token: 'it''s "quoted"'
          empty:
          list: []
          nothing: null
          tilde: ~
          caps: True
      """;

  @Test
  @DisplayName("reads kubectl-style kubeconfigs exactly as SnakeYAML does")
  void sameAsSnakeYaml() throws Exception {
    Object mine = SimpleYaml.parse(KUBECTL_STYLE);

    assertThat(mine).isEqualTo(new Load(LoadSettings.builder().build()).loadFromString(KUBECTL_STYLE));
    Map<?, ?> root = (Map<?, ?>) mine;
    assertThat(root.get("current-context")).isEqualTo("minikube");
    Map<?, ?> kind = (Map<?, ?>) ((Map<?, ?>) ((List<?>) root.get("clusters")).get(1)).get("cluster");
    assertThat(kind.get("insecure-skip-tls-verify")).isEqualTo(true);
    assertThat(kind.get("server")).isEqualTo("https://127.0.0.1:6443");
  }

  @Test
  @DisplayName("reads the kube rig's kubeconfig and a document marker")
  void rig() throws Exception {
    String yaml = "---\napiVersion: v1\nkind: Config\npreferences: {}\ncurrent-context: minikube\nclusters:\n"
        + "- name: minikube\n  cluster:\n    server: http://127.0.0.1:1\ncontexts:\n- name: minikube\n  context:\n"
        + "    cluster: minikube\n    user: minikube\n    namespace: default\nusers:\n- name: minikube\n  user:\n"
        + "    token: kube-rig-minikube\n";
    assertThat(SimpleYaml.parse(yaml)).isEqualTo(new Load(LoadSettings.builder().build()).loadFromString(yaml));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "a: {b: c}",
      "a: [1, 2]",
      "a: &x b\nc: *x",
      "a: !!str b",
      "a: |\n  text",
      "a: >\n  text",
      "a: b\n  continued",
      "a: \"open\n  close\"",
      "---\na: b\n---\nc: d",
      "a: b: c",
      "? a\n: b",
      "a:\n\t- b",
      "a: b\na: c",
      "- - a",
  })
  @DisplayName("hands everything else to the full parser")
  void unsupported(String yaml) {
    assertThatThrownBy(() -> SimpleYaml.parse(yaml)).isInstanceOf(SimpleYaml.Unsupported.class);
  }

  @Test
  @DisplayName("what it cannot read, Kubeconfig reads with SnakeYAML")
  void fallback() {
    assertThat(Kubeconfig.yaml("a: {b: [c, d]}")).isEqualTo(Map.of("a", Map.of("b", List.of("c", "d"))));
  }
}
