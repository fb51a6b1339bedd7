package dev.llmstack.kuberig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The volumes of one docker-backed pod, laid out on the rig's machine as the kubelet lays them out on a node
 * (https://kubernetes.io/docs/concepts/storage/volumes/), and the {@code docker run --mount} options that put them in
 * a container:
 * <ul>
 * <li>{@code configMap} and {@code secret}: the keys (or {@code items}: {@code key} → {@code path}, {@code mode}) as
 * files with {@code defaultMode} (0644), written as the kubelet's atomic writer does: a timestamped directory, a
 * {@code ..data} symlink to it and one symlink per top-level name. Always mounted read-only, whatever the mount's
 * {@code readOnly} says (read-only API data volumes, Kubernetes 1.9.4+, kubernetes/kubernetes#58720). A missing
 * object or key fails the mount unless {@code optional}. {@link #resync()} projects a changed object again (new
 * directory, {@code ..data} swapped), so a whole-volume mount sees the change, while a {@code subPath} mount, bound
 * to the file of the directory it was started with, never does
 * (https://kubernetes.io/docs/concepts/configuration/configmap/#mounted-configmaps-are-updated-automatically).</li>
 * <li>{@code emptyDir}: an empty directory, mode 0777, writable unless the mount is {@code readOnly}, one per pod
 * (shared by its containers), deleted with the pod.</li>
 * <li>{@code subPath}: the path inside the volume (symlinks resolved, as the kubelet resolves them before it
 * bind-mounts); a missing one is created as a directory, as the kubelet does.</li>
 * </ul>
 * Other volume types (PVC, hostPath, projected, downwardAPI, ...) and {@code subPathExpr} are not mounted. The
 * directories are on this machine: the Docker daemon must run here (bind mounts).
 */
final class PodVolumes {

  /** The API server, as the kubelet uses it for volumes: the objects behind them, and Warning events. */
  interface Api {
    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);

    /** A Warning event on the pod (the kubelet's {@code FailedMount}). */
    void warn(String namespace, String pod, String uid, String reason, String message);
  }

  /** A volume that cannot be set up (yet): the kubelet's {@code FailedMount} message. */
  static final class MountFailed extends Exception {
    private static final long serialVersionUID = 1L;

    MountFailed(String message) {
      super(message);
    }
  }

  private static final String DATA_LINK = "..data";
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");
  private static final int DEFAULT_MODE = 0644;

  /** A configMap or secret volume: what it projects, and the timestamped directory holding it now. */
  private static final class Projected {
    final Volume volume;
    final Path dir;
    Map<String, byte[]> files = Map.of();
    Map<String, Integer> modes = Map.of();

    Projected(Volume volume, Path dir) {
      this.volume = volume;
      this.dir = dir;
    }
  }

  private final Path root;
  private final String namespace;
  private final Api api;
  private final Map<String, Volume> volumes = new LinkedHashMap<>();
  private final Map<String, Projected> projected = new LinkedHashMap<>();

  /**
   * @param root this pod's directory (created by {@link #setUp()}, deleted by {@link #delete()})
   */
  PodVolumes(Path root, String namespace, List<Volume> volumes, Api api) {
    this.root = root;
    this.namespace = namespace;
    this.api = api;
    for (Volume v : Optional.ofNullable(volumes).orElse(List.of())) {
      this.volumes.put(v.getName(), v);
    }
  }

  /** Whether the pod has volumes the rig lays out (else no directory is made). */
  static boolean needed(List<Volume> volumes) {
    return Optional.ofNullable(volumes).orElse(List.of()).stream().anyMatch(PodVolumes::supported);
  }

  private static boolean supported(Volume v) {
    return v.getConfigMap() != null || v.getSecret() != null || v.getEmptyDir() != null;
  }

  /** Creates the emptyDirs and projects the configMaps and secrets; again after a failure, for what is missing. */
  void setUp() throws MountFailed {
    try {
      for (Volume v : volumes.values()) {
        final Path dir = root.resolve("volumes").resolve(v.getName());
        if (v.getEmptyDir() != null && !Files.isDirectory(dir)) {
          Files.createDirectories(dir);
          // kubelet: emptyDir is created 0777, whatever the umask
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        } else if ((v.getConfigMap() != null || v.getSecret() != null) && !projected.containsKey(v.getName())) {
          final Projected p = new Projected(v, dir);
          project(p, payload(v));
          projected.put(v.getName(), p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Projects every configMap and secret volume whose object changed since it was projected (the kubelet's periodic
   * sync). A volume whose object is gone keeps its files, as on a node.
   *
   * @return whether a volume changed
   */
  boolean resync() {
    boolean changed = false;
    for (Projected p : projected.values()) {
      try {
        final Payload now = payload(p.volume);
        if (!same(now.files, p.files) || !now.modes.equals(p.modes)) {
          project(p, now);
          changed = true;
        }
      } catch (MountFailed e) {
        // the kubelet logs and keeps the last files
      } catch (IOException e) {
        System.err.println("kube rig: volume " + p.volume.getName() + ": " + e.getMessage());
      }
    }
    return changed;
  }

  /**
   * The {@code --mount} options of a container's volumeMounts, in order.
   *
   * @throws MountFailed for a mount naming no volume of the pod (the API server rejects such a pod)
   */
  List<String> mountOptions(Container c) throws MountFailed {
    final List<String> options = new ArrayList<>();
    for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
      final Volume v = volumes.get(m.getName());
      if (v == null) {
        throw new MountFailed("volumeMount \"" + m.getName() + "\" of container " + c.getName()
            + " names no volume of the pod");
      }
      if (!supported(v)) {
        continue;
      }
      final Path volumeDir = root.resolve("volumes").resolve(v.getName());
      final Path source = m.getSubPath() == null || m.getSubPath().isEmpty() ? volumeDir
          : subPath(volumeDir, m.getSubPath(), m.getName());
      final boolean readOnly = v.getEmptyDir() == null || Boolean.TRUE.equals(m.getReadOnly());
      options.add("--mount");
      options.add(String.join(",", csv("type=bind"), csv("source=" + source), csv("target=" + m.getMountPath()))
          + (readOnly ? ",readonly" : ""));
    }
    return options;
  }

  /** Deletes the pod's directory (after its containers are gone). */
  void delete() {
    deleteTree(root);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          System.err.println("kube rig: cannot delete " + p + ": " + e.getMessage());
        }
      });
    } catch (IOException e) {
      System.err.println("kube rig: cannot delete " + dir + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- subPath

  /** volumeDir/subPath with symlinks resolved, inside the volume; created as a directory when missing. */
  private static Path subPath(Path volumeDir, String subPath, String mount) throws MountFailed {
    if (subPath.startsWith("/") || Arrays.asList(subPath.split("/")).contains("..")) {
      throw new MountFailed("subPath \"" + subPath + "\" of volumeMount \"" + mount
          + "\" must be a relative path without '..'");
    }
    try {
      final Path path = volumeDir.resolve(subPath);
      if (!Files.exists(path)) {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, Files.getPosixFilePermissions(volumeDir));
      }
      final Path real = path.toRealPath();
      if (!real.startsWith(volumeDir.toRealPath())) {
        throw new MountFailed("subPath \"" + subPath + "\" of volumeMount \"" + mount
            + "\" points outside its volume");
      }
      return real;
    } catch (IOException e) {
      throw new MountFailed("failed to prepare subPath for volumeMount \"" + mount + "\": " + e.getMessage());
    }
  }

  /** One field of docker's CSV {@code --mount} value, quoted when it holds a comma or a quote. */
  private static String csv(String field) {
    return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }

  // ---------------------------------------------------------------- configMap and secret

  private static final class Payload {
    final Map<String, byte[]> files = new TreeMap<>();
    final Map<String, Integer> modes = new TreeMap<>();
  }

  /** The files a configMap or secret volume projects now. */
  private Payload payload(Volume v) throws MountFailed {
    final boolean isConfigMap = v.getConfigMap() != null;
    final String kind = isConfigMap ? "configmap" : "secret";
    final String name = isConfigMap ? v.getConfigMap().getName() : v.getSecret().getSecretName();
    final boolean optional = Boolean.TRUE.equals(isConfigMap ? v.getConfigMap().getOptional()
        : v.getSecret().getOptional());
    final Integer defaultMode = isConfigMap ? v.getConfigMap().getDefaultMode() : v.getSecret().getDefaultMode();
    final List<KeyToPath> items = Optional.ofNullable(isConfigMap ? v.getConfigMap().getItems()
        : v.getSecret().getItems()).orElse(List.of());

    final Optional<Map<String, byte[]>> data = isConfigMap
        ? api.configMap(namespace, name).map(PodVolumes::data)
        : api.secret(namespace, name).map(PodVolumes::data);
    final Payload payload = new Payload();
    if (data.isEmpty()) {
      if (optional) {
        return payload;
      }
      throw new MountFailed("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + kind + " \"" + name
          + "\" not found");
    }
    final int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    if (items.isEmpty()) {
      data.get().forEach((key, bytes) -> {
        payload.files.put(key, bytes);
        payload.modes.put(key, mode);
      });
      return payload;
    }
    for (KeyToPath item : items) {
      final byte[] bytes = data.get().get(item.getKey());
      if (bytes == null) {
        if (optional) {
          continue;
        }
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + kind
            + " references non-existent " + (isConfigMap ? "config" : "secret") + " key: " + item.getKey());
      }
      payload.files.put(item.getPath(), bytes);
      payload.modes.put(item.getPath(), item.getMode() == null ? mode : item.getMode());
    }
    return payload;
  }

  private static Map<String, byte[]> data(ConfigMap cm) {
    final Map<String, byte[]> data = new TreeMap<>();
    Optional.ofNullable(cm.getData()).orElse(Map.of())
        .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    Optional.ofNullable(cm.getBinaryData()).orElse(Map.of())
        .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    return data;
  }

  private static Map<String, byte[]> data(Secret secret) {
    final Map<String, byte[]> data = new TreeMap<>();
    Optional.ofNullable(secret.getData()).orElse(Map.of())
        .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    // A real API server merges stringData into data when the Secret is written; the mock stores it as sent.
    Optional.ofNullable(secret.getStringData()).orElse(Map.of())
        .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return data;
  }

  /**
   * The atomic writer's steps: the files into a new {@code ..<timestamp>} directory, {@code ..data} swapped to it by a
   * rename, a symlink {@code <name> -> ..data/<name>} for each top-level name, stale ones and the old directory
   * removed.
   */
  private static void project(Projected p, Payload payload) throws IOException {
    final Map<String, byte[]> files = payload.files;
    final Map<String, Integer> modes = payload.modes;
    Files.createDirectories(p.dir);
    final Path link = p.dir.resolve(DATA_LINK);
    final Path old = Files.isSymbolicLink(link) ? p.dir.resolve(Files.readSymbolicLink(link)) : null;
    final String stamp = ".." + LocalDateTime.now().format(TIMESTAMP);
    final Path fresh = p.dir.resolve(stamp);
    Files.createDirectory(fresh);
    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
    final Set<String> top = new TreeSet<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      final Path file = fresh.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, f.getValue());
      Files.setPosixFilePermissions(file, permissions(modes.get(f.getKey())));
      top.add(f.getKey().split("/")[0]);
    }
    final Path tmp = p.dir.resolve(DATA_LINK + "_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(stamp));
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
    for (String name : top) {
      try {
        Files.createSymbolicLink(p.dir.resolve(name), Path.of(DATA_LINK, name));
      } catch (FileAlreadyExistsException e) {
        // already links to ..data/<name>
      }
    }
    try (Stream<Path> entries = Files.list(p.dir)) {
      for (Path e : (Iterable<Path>) entries::iterator) {
        final String n = e.getFileName().toString();
        if (!n.startsWith("..") && !top.contains(n) && Files.isSymbolicLink(e)) {
          Files.delete(e);
        }
      }
    }
    if (old != null && !old.equals(fresh)) {
      deleteTree(old);
    }
    p.files = files;
    p.modes = modes;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    final StringBuilder s = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      final int bits = (mode >> shift) & 7;
      s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  private static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }
}
