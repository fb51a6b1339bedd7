package dev.llmstack.minikube;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The fake minikube CLI from {@code src/test/resources/fake-minikube/minikube}, copied into a
 * directory and made executable. It records each call in {@code calls.log} and each successful
 * {@code image load} in {@code image-load.log}, next to itself.
 */
final class FakeMinikube {

  private final Path executable;

  private FakeMinikube(Path executable) {
    this.executable = executable;
  }

  static FakeMinikube installIn(Path dir) throws IOException {
    Path executable = dir.resolve("minikube");
    try (InputStream in = FakeMinikube.class.getResourceAsStream("/fake-minikube/minikube")) {
      if (in == null) {
        throw new IllegalStateException("fake-minikube/minikube is not on the test class path");
      }
      Files.copy(in, executable);
    }
    Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new FakeMinikube(executable);
  }

  Path executable() {
    return executable;
  }

  List<String> calls() throws IOException {
    return lines("calls.log");
  }

  List<String> imageLoads() throws IOException {
    return lines("image-load.log");
  }

  private List<String> lines(String name) throws IOException {
    Path log = executable.resolveSibling(name);
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }
}
