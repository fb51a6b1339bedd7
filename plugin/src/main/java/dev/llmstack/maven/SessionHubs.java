package dev.llmstack.maven;

import dev.llmstack.hub.DefaultStackHub;
import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.eclipse.aether.SessionData;

/**
 * One hub per Maven session, kept in the session's data (not in a static field: mvnd and IDE
 * embedders run many builds in one JVM), closed when the session ends: its forwards stop and its
 * connections close with the build that opened them.
 */
final class SessionHubs implements Hubs {

  // per plugin class realm: two versions of the plugin in one build keep their own hubs
  private static final String KEY = DefaultStackHub.class.getName() + "@" + System.identityHashCode(DefaultStackHub.class);

  @Override
  public StackHub hub(MavenSession session, BuildLog log) {
    SessionData data = session.getRepositorySession().getData();
    while (true) {
      Object existing = data.get(KEY);
      if (existing instanceof StackHub hub) {
        return hub;
      }
      DefaultStackHub hub = new DefaultStackHub(log, System.getenv());
      if (data.set(KEY, existing, hub)) {
        closeWhenSessionEnds(session.getRequest(), hub);
        return hub;
      }
      hub.close(); // another goal (a parallel build) set one first
    }
  }

  private static synchronized void closeWhenSessionEnds(MavenExecutionRequest request, StackHub hub) {
    request.setExecutionListener(ClosingListener.around(request.getExecutionListener(), hub));
  }
}
