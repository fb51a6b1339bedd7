package dev.llmstack.dev;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch of file changes means: files to copy into (or delete from) the running containers of
 * an image, images to rebuild, and whether the manifests changed. A change to an image's layer file
 * that no sync rule covers rebuilds that image (and only that image).
 */
public record ChangePlan(Map<String, List<SyncedFile>> syncs, Set<String> rebuilds, boolean manifestsChanged) {

  /** One file of a sync: where it is here, where it goes there, or that it is gone. */
  public record SyncedFile(Path local, String containerPath, String permissions, boolean deleted) {}

  public static ChangePlan of(Collection<DevImage> images, Collection<FileChange> changes, Path manifests) {
    Map<String, List<SyncedFile>> syncs = new LinkedHashMap<>();
    Set<String> rebuilds = new LinkedHashSet<>();
    boolean manifestsChanged = false;
    for (FileChange change : changes) {
      Path file = change.file();
      if (manifests != null && file.startsWith(manifests)) {
        manifestsChanged = true;
      }
      for (DevImage image : images) {
        var target = image.containerPath(file);
        if (target.isEmpty()) {
          continue;
        }
        if (image.isSynced(file)) {
          syncs.computeIfAbsent(image.name(), n -> new ArrayList<>())
              .add(new SyncedFile(file, target.get(), image.filePermissions(file), change.deleted()));
        } else {
          rebuilds.add(image.name());
        }
      }
    }
    // A rebuilt image carries its synced files anyway; its pods are replaced.
    rebuilds.forEach(syncs::remove);
    return new ChangePlan(syncs, rebuilds, manifestsChanged);
  }

  public boolean isEmpty() {
    return syncs.isEmpty() && rebuilds.isEmpty() && !manifestsChanged;
  }
}
