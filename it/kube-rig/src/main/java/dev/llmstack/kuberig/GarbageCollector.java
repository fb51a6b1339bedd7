package dev.llmstack.kuberig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The garbage collector, by ownerReferences, for every kind
 * (https://kubernetes.io/docs/concepts/architecture/garbage-collection/): an object all of whose owners are gone (no
 * stored object has the uid a reference names) is deleted, in the background, after its owner; its own dependents
 * follow in the next sweep, and so on down. An object with one owner left stays. A sweep runs after every removal
 * and after every create of an object with ownerReferences (a controller may create a dependent of an owner that is
 * being deleted; the real collector deletes it then too).
 * <p>
 * Simplified: {@code propagationPolicy: Foreground} is carried out as Background (the owner goes first, not last;
 * {@code blockOwnerDeletion} is not looked at), and dangling references next to a live owner are not removed.
 */
final class GarbageCollector {

  private final RigStore store;
  private final Deletions deletions;
  private final AtomicBoolean pending = new AtomicBoolean();

  GarbageCollector(RigStore store, Deletions deletions) {
    this.store = store;
    this.deletions = deletions;
  }

  /** Schedules a sweep on the controller manager's thread (several requests before it runs make one sweep). */
  void collect() {
    if (pending.compareAndSet(false, true)) {
      deletions.schedule(this::sweep, 0);
    }
  }

  /**
   * Orphans the dependents of an owner being deleted with {@code propagationPolicy: Orphan}: the reference to it is
   * removed from each, as the collector does before the owner goes.
   */
  void orphanDependentsOf(String ownerUid) {
    for (RigStore.Stored o : store.objects()) {
      final JsonNode refs = o.object().path("metadata").path("ownerReferences");
      boolean names = false;
      for (JsonNode ref : refs) {
        names |= ownerUid.equals(ref.path("uid").asText());
      }
      if (!names) {
        continue;
      }
      final ObjectNode copy = o.object().deepCopy();
      final ArrayNode kept = ((ObjectNode) copy.get("metadata")).putArray("ownerReferences");
      refs.forEach(ref -> {
        if (!ownerUid.equals(ref.path("uid").asText())) {
          kept.add(ref);
        }
      });
      if (kept.isEmpty()) {
        ((ObjectNode) copy.get("metadata")).remove("ownerReferences");
      }
      store.replace(o.path(), copy);
    }
  }

  private void sweep() {
    pending.set(false);
    store.writeLock().lock();
    try {
      final var objects = store.objects();
      final Set<String> uids = objects.stream().map(RigStore.Stored::uid).collect(Collectors.toSet());
      for (RigStore.Stored o : objects) {
        final JsonNode refs = o.object().path("metadata").path("ownerReferences");
        if (refs.isEmpty() || o.terminating()) {
          continue;
        }
        boolean ownerLeft = false;
        for (JsonNode ref : refs) {
          ownerLeft |= uids.contains(ref.path("uid").asText());
        }
        if (!ownerLeft) {
          deletions.deleteObject(o.path(), DeleteOptions.BACKGROUND);
        }
      }
    } finally {
      store.writeLock().unlock();
    }
  }
}
