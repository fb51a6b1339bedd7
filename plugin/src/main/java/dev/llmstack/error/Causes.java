package dev.llmstack.error;

import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** What a chain of causes comes down to, for the one sentence a failure gets. */
public final class Causes {

  private Causes() {}

  /**
   * The result of work started on another thread; its failure is rethrown as the work threw it (a
   * ConfigurationException stays one), not wrapped.
   *
   * @param doing what the waiting thread does, for an interruption's message ("building images")
   */
  public static <T> T resultOf(Future<T> work, String doing) {
    try {
      return work.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + doing, e);
    }
  }

  /** The innermost cause. */
  public static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The innermost cause's message, or something a user can read when it has none. */
  public static String rootMessage(Throwable e) {
    boolean connectFailed = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      connectFailed |= t instanceof ConnectException;
    }
    Throwable root = root(e);
    if (root.getMessage() != null) {
      return root.getMessage();
    }
    // The JDK HTTP client reports a refused connection as ConnectException -> ClosedChannelException,
    // neither with a message: "ClosedChannelException" would tell the user nothing.
    return connectFailed ? "connection refused" : root.getClass().getSimpleName();
  }
}
