package dev.llmstack.dev;

import dev.llmstack.error.StackFailureException;
import java.util.List;
import java.util.Locale;

/**
 * Why a sync into a container failed, told from what the container's command wrote to stderr: a
 * read-only volume over the target, a user that may not write there, a missing program, or
 * anything else (then its own words). Each ends by saying the image is rebuilt with the next change.
 */
final class SyncFailure {

  private static final int SHOWN_LINES = 3;
  private static final String REBUILT = " The image is rebuilt with the next change.";

  private SyncFailure() {}

  /** The copy ({@code rm}, {@code mkdir}, {@code tar -x}) failed. */
  static StackFailureException copy(
      String namespace, String pod, String container, Integer exitCode, String stderr, List<ChangePlan.SyncedFile> files) {
    String problem = "Could not sync files into pod " + pod + " (container " + container + "): " + outcome(exitCode, stderr) + ".";
    String paths = String.join(", ", files.stream().map(ChangePlan.SyncedFile::containerPath).distinct().toList());
    String error = stderr.toLowerCase(Locale.ROOT);
    if (error.contains("read-only file system") || error.contains("device or resource busy")) {
      // EROFS: writing into a read-only volume; EBUSY: replacing a file that is itself a mount point (subPath)
      return new StackFailureException(problem,
          "A volume is mounted over " + paths + " or the directory above it, and sync cannot write there (ConfigMap, Secret,"
              + " projected and downwardAPI volumes are always read-only on the kubelet, and a subPath mount stays bound to"
              + " the file it started with). Let the synced file be the image's own (remove that volumeMount in the overlay,"
              + " or mount an emptyDir there), or remove the image's <sync> rule so that its changes are rebuilt. kubectl get pod -n " + namespace + " " + pod + " -o yaml lists the"
              + " container's volumeMounts." + REBUILT);
    }
    if (error.contains("permission denied")) {
      return new StackFailureException(problem,
          "The container's user may not write " + paths + ": make the target writable for it in the image (the layer's"
              + " <filePermissions> and <directoryPermissions>, or the image's <user>), or remove the image's <sync> rule so"
              + " that its changes are rebuilt." + REBUILT);
    }
    if (Integer.valueOf(126).equals(exitCode) || Integer.valueOf(127).equals(exitCode) || error.contains("not found")) {
      return new StackFailureException(problem,
          "Sync needs sh, head, mkdir, rm and tar in the container; if the image lacks them, remove the image's <sync>"
              + " rules so that its changes are rebuilt instead." + REBUILT);
    }
    return new StackFailureException(problem,
        "kubectl exec -n " + namespace + " " + pod + " -c " + container + " -- sh opens a shell there to look." + REBUILT);
  }

  /** The image's after-sync command failed (the files did land). */
  static StackFailureException afterSync(
      String namespace, String pod, String container, List<String> command, Integer exitCode, String stderr) {
    String shown = String.join(" ", command);
    return new StackFailureException(
        "Synced files into pod " + pod + " (container " + container + "), but its <afterSync> command '" + shown + "' failed: "
            + outcome(exitCode, stderr) + ".",
        "Fix the image's <afterSync> (try it with kubectl exec -n " + namespace + " " + pod + " -c " + container + " -- "
            + shown + ")." + REBUILT);
  }

  private static String outcome(Integer exitCode, String stderr) {
    String what = exitCode == null ? "the exec connection closed before the command finished" : "exit code " + exitCode;
    List<String> lines = stderr.strip().lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return what;
    }
    List<String> shown = lines.subList(0, Math.min(SHOWN_LINES, lines.size()));
    return what + ": " + String.join(" | ", shown) + (lines.size() > SHOWN_LINES ? " (and " + (lines.size() - SHOWN_LINES) + " more lines)" : "");
  }
}
