package dev.llmstack.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Lists a layer source in a JVM of its own and prints what the build would say: how a test run as
 * root checks a rule about another user (root reads any file), started as that user.
 */
public final class ScanLayerMain {

  private ScanLayerMain() {}

  public static void main(String[] args) {
    try {
      System.out.println("listed " + LayerFiles.scan(new LayerSpec(Path.of(args[0]), "/app", "644", "755", List.of()), "web").size());
    } catch (RuntimeException e) {
      System.out.println(e.getMessage());
    }
  }
}
