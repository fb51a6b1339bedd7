package dev.llmstack.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin descriptor as help:describe reads it (built into target/classes by maven-plugin-plugin
 * before the tests): each goal lists only the parameters it uses, and every description reads as
 * written (Javadoc tags do not survive the descriptor: help:describe drops them, leaving holes).
 */
class PluginDescriptorTest {

  private static final Set<String> CLUSTER = Set.of("stack", "namespace", "kubeconfig", "context", "allowedContexts");
  private static final Set<String> BUILD = Set.of("images", "target", "registry", "tag", "registryMirrors", "insecureRegistries",
      "cacheDirectory", "minikubeProfile", "minikubeExecutable", "dockerHost", "dockerCertPath", "outputDirectory");
  private static Map<String, Map<String, String>> goals; // goal -> parameter -> description

  @BeforeAll
  static void read() throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
    goals = new LinkedHashMap<>();
    NodeList mojos = doc.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      Map<String, String> parameters = new LinkedHashMap<>();
      NodeList params = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
      for (int j = 0; j < params.getLength(); j++) {
        Element p = (Element) params.item(j);
        if ("true".equals(text(p, "editable"))) {
          parameters.put(text(p, "name"), text(p, "description"));
        }
      }
      parameters.put("(goal)", text(mojo, "description"));
      goals.put(text(mojo, "goal"), parameters);
    }
  }

  private static String text(Element e, String child) {
    NodeList n = e.getElementsByTagName(child);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
  }

  private static Set<String> parameters(String goal) {
    Set<String> names = new TreeSet<>(goals.get(goal).keySet());
    names.remove("(goal)");
    return names;
  }

  @Test
  @DisplayName("each goal lists only what it uses: build no cluster parameter, forward no timeout, undeploy no build parameter")
  void parametersPerGoal() {
    assertThat(parameters("build")).doesNotContainAnyElementsOf(CLUSTER).doesNotContain("timeout", "overlay");
    assertThat(parameters("forward")).containsAll(CLUSTER).doesNotContain("timeout").doesNotContainAnyElementsOf(List.of("images", "tag"));
    assertThat(parameters("undeploy")).containsAll(CLUSTER).contains("timeout", "keep", "deleteVolumes").doesNotContainAnyElementsOf(BUILD);
    assertThat(parameters("deploy")).containsAll(CLUSTER).containsAll(BUILD).contains("skipBuild", "adopt", "overlay");
    assertThat(parameters("dev")).containsAll(CLUSTER).containsAll(BUILD).doesNotContain("skipBuild", "skipDeploy");
  }

  @Test
  @DisplayName("every description is whole: no stripped tags (empty list items, empty parentheses, dangling articles)")
  void descriptionsReadCleanly() {
    List<String> broken = new ArrayList<>();
    goals.forEach((goal, parameters) -> parameters.forEach((name, description) -> {
      String plain = description.replaceAll("<[^>]+>", "");
      if (plain.isBlank() || plain.matches("(?s).*(\\(\\s*\\)|,\\s*,|\\ban\\s+with\\b|\\ba\\s*,|\\{@|&lt;|&gt;| {2,}|\\s[,.;]).*")) {
        broken.add(goal + " " + name + ": " + plain);
      }
    }));
    assertThat(broken).isEmpty();
  }
}
