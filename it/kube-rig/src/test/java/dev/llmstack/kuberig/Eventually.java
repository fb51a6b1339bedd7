package dev.llmstack.kuberig;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits, bounded, by reading again and again: for what a real cluster does in the background (the garbage
 * collector, the namespace controller), and for the rig's own state (its open watches). The API server's state is read
 * rather than watched because the mock's watches can miss a deletion: a watch ignores
 * resourceVersion and starts with the objects there are when it opens, so a deletion between an informer's list and
 * the opening of its watch never reaches it (the garbage collector works in the background, within milliseconds of
 * the owner's deletion). A real API server replays it from the list's resourceVersion.
 */
final class Eventually {

  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final long INTERVAL_MILLIS = 100;

  private Eventually() {
  }

  /** The first value read that satisfies {@code done}; fails after 30 s naming {@code what}. */
  static <T> T until(String what, Supplier<T> read, Predicate<T> done) throws InterruptedException {
    final Instant deadline = Instant.now().plus(LIMIT);
    T value = read.get();
    while (!done.test(value)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + LIMIT.toSeconds() + " s: " + what + " (last read: " + value + ")");
      }
      Thread.sleep(INTERVAL_MILLIS);
      value = read.get();
    }
    return value;
  }
}
