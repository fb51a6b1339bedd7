package dev.llmstack.forward;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forward sessions started in this JVM (this Maven session), so undeploy can stop them; whatever is
 * left is closed when the JVM exits.
 */
public final class ForwardRegistry {

  private static final Map<String, ForwardSession> SESSIONS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ForwardRegistry::closeAll, "llmstack-forward-shutdown"));
  }

  private ForwardRegistry() {}

  public static void register(String key, ForwardSession session) {
    ForwardSession previous = SESSIONS.put(key, session);
    if (previous != null) {
      previous.close();
    }
  }

  /** @return whether a session was running */
  public static boolean close(String key) {
    ForwardSession session = SESSIONS.remove(key);
    if (session != null) {
      session.close();
      return true;
    }
    return false;
  }

  public static void closeAll() {
    SESSIONS.keySet().forEach(ForwardRegistry::close);
  }
}
