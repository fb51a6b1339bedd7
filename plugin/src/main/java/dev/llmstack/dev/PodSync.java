package dev.llmstack.dev;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.llmstack.error.Causes;
import dev.llmstack.error.StackFailureException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Copies changed files into the running containers of an image and deletes removed ones, as
 * {@code kubectl cp} does: a tar stream into {@code tar -x} over the pod's {@code exec} subresource.
 * The stream is length-prefixed ({@code head -c}) because exec over WebSocket has no way to close
 * stdin, so {@code tar} would otherwise never see the end of its input. Then, if the image has one,
 * its after-sync command runs in each of those containers (for a process that reads the synced
 * files only at start: restart it in place, as the sample stack's LiteLLM image does on SIGHUP).
 */
public final class PodSync {

  /** How many files went to how many containers. */
  public record Result(int files, int pods) {}

  /** What an exec left behind: its exit code (null when the connection closed first) and its stderr. */
  private record Exit(Integer code, String stderr) {
    boolean ok() {
      return code != null && code == 0;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Duration timeout;

  public PodSync(KubernetesClient client, String namespace, Duration timeout) {
    this.client = client;
    this.namespace = namespace;
    this.timeout = timeout;
  }

  /**
   * Syncs into every container that runs one of {@code images} (references as in the pod spec) in a
   * running pod of the namespace, then runs {@code afterSync} there (nothing when it is empty).
   */
  public Result sync(Collection<String> images, List<ChangePlan.SyncedFile> files, List<String> afterSync) {
    byte[] tar = tar(files.stream().filter(f -> !f.deleted()).toList());
    String script = script(files, tar.length);
    Set<String> pods = new LinkedHashSet<>();
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      if (!isRunning(pod)) {
        continue;
      }
      for (var container : pod.getSpec().getContainers()) {
        if (images.contains(container.getImage()) && isRunning(pod, container.getName())) {
          String name = pod.getMetadata().getName();
          Exit copied = exec(name, container.getName(), List.of("sh", "-c", script), tar);
          if (!copied.ok()) {
            throw SyncFailure.copy(namespace, name, container.getName(), copied.code(), copied.stderr(), files);
          }
          if (!afterSync.isEmpty()) {
            Exit hook = exec(name, container.getName(), afterSync, new byte[0]);
            if (!hook.ok()) {
              throw SyncFailure.afterSync(namespace, name, container.getName(), afterSync, hook.code(), hook.stderr());
            }
          }
          pods.add(name);
        }
      }
    }
    return new Result(files.size(), pods.size());
  }

  private Exit exec(String pod, String container, List<String> command, byte[] stdin) {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Refusal refusal = new Refusal();
    var operation = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
    try (ExecWatch watch = (stdin.length > 0 ? operation.redirectingInput() : operation)
        .writingError(stderr)
        .usingListener(refusal)
        .exec(command.toArray(String[]::new))) {
      if (stdin.length > 0) {
        OutputStream in = watch.getInput();
        in.write(stdin);
        in.flush();
      }
      Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Exit(code, stderr.toString(StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ExecutionException | TimeoutException | KubernetesClientException e) {
      String why = e instanceof TimeoutException
          ? "no answer within " + timeout.toSeconds() + " s"
          : Refusal.of(e).or(refusal::answer).orElse(Causes.rootMessage(e));
      throw new StackFailureException("Could not run '" + String.join(" ", command) + "' in pod " + pod + " (container " + container + "): "
          + why + ".",
          "Check the pod with kubectl describe pod -n " + namespace + " " + pod + "; the image is rebuilt with the next change.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackFailureException("Interrupted while syncing files into pod " + pod + ".", null);
    }
  }

  /**
   * The API server's answer when it refuses the exec (400: container not running, 403, 404). With a listener, fabric8
   * hands it over instead of logging "Exec Failure" with a stack trace at error level.
   */
  private static final class Refusal implements ExecListener {
    private final AtomicReference<String> answer = new AtomicReference<>();

    @Override
    public void onFailure(Throwable t, Response response) {
      if (response == null) {
        return;
      }
      String body;
      try {
        body = response.body();
      } catch (IOException | RuntimeException unreadable) {
        body = null;
      }
      answer.set("the API server answered " + response.code() + statusMessage(body).map(m -> ": " + m).orElse(""));
    }

    @Override
    public void onClose(int code, String reason) {
      // the exit code or the failure says what happened
    }

    Optional<String> answer() {
      return Optional.ofNullable(answer.get());
    }

    /** The refusal a failed exec carries: the WebSocket upgrade's answer (fabric8 throws it from exec()). */
    static Optional<String> of(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null) {
          String body;
          try {
            body = handshake.getResponse().bodyString();
          } catch (IOException | RuntimeException unreadable) {
            body = null;
          }
          return Optional.of("the API server answered " + handshake.getResponse().code() + statusMessage(body).map(m -> ": " + m).orElse(""));
        }
      }
      return Optional.empty();
    }

    private static Optional<String> statusMessage(String body) {
      if (body == null || body.isBlank()) {
        return Optional.empty();
      }
      try {
        Map<String, Object> status = JSON.std.mapFrom(body);
        return Optional.ofNullable(status.get("message")).map(Object::toString);
      } catch (IOException notJson) {
        return Optional.of(body.strip().lines().findFirst().orElse(""));
      }
    }
  }

  /** rm the deleted files, create the parents of the copied ones, extract exactly {@code length} bytes. */
  static String script(List<ChangePlan.SyncedFile> files, int length) {
    List<String> steps = new ArrayList<>();
    List<String> deleted = files.stream().filter(ChangePlan.SyncedFile::deleted).map(f -> quote(f.containerPath())).toList();
    if (!deleted.isEmpty()) {
      steps.add("rm -f -- " + String.join(" ", deleted));
    }
    if (length > 0) {
      List<String> parents = files.stream()
          .filter(f -> !f.deleted())
          .map(f -> parentOf(f.containerPath()))
          .distinct()
          .map(PodSync::quote)
          .toList();
      steps.add("mkdir -p " + String.join(" ", parents) + " && head -c " + length + " | tar -C / -xmf -");
    }
    return steps.isEmpty() ? "true" : String.join(" && ", steps);
  }

  static byte[] tar(List<ChangePlan.SyncedFile> files) {
    if (files.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (ChangePlan.SyncedFile file : files) {
        TarArchiveEntry entry = new TarArchiveEntry(file.containerPath().replaceFirst("^/+", ""));
        entry.setSize(Files.size(file.local()));
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | Integer.parseInt(file.permissions(), 8));
        entry.setModTime(System.currentTimeMillis());
        tar.putArchiveEntry(entry);
        Files.copy(file.local(), tar);
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot pack the changed files", e);
    }
    return bytes.toByteArray();
  }

  private static boolean isRunning(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase());
  }

  private static boolean isRunning(Pod pod, String container) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    return statuses != null && statuses.stream()
        .anyMatch(s -> container.equals(s.getName()) && s.getState() != null && s.getState().getRunning() != null);
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
