package dev.llmstack.maven;

import dev.llmstack.hub.StackHub;
import dev.llmstack.log.BuildLog;
import org.apache.maven.execution.MavenSession;

/** Where a goal gets the build's {@link StackHub} (a fake in the Mojos' tests). */
interface Hubs {

  StackHub hub(MavenSession session, BuildLog log);
}
