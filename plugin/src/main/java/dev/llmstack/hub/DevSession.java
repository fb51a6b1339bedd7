package dev.llmstack.hub;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.llmstack.apply.StackApplier;
import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.DevConfig;
import dev.llmstack.dev.ChangePlan;
import dev.llmstack.dev.DevLoop;
import dev.llmstack.dev.PodSync;
import dev.llmstack.image.BuildRecord;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.kube.ClusterConnector;
import dev.llmstack.log.BuildLog;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One run of {@code llmstack:dev}: the dev loop's hands are the hub's own services (build, deploy,
 * forward, sync over the hub's connection), and Ctrl-C stops watching and forwarding and undeploys
 * (unless kept) before the hub closes.
 */
final class DevSession implements DevLoop.Stack {

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  private final DefaultStackHub hub;
  private final DevConfig config;
  private final BuildLog log;
  private final Map<String, BuiltImage> current = new LinkedHashMap<>();
  private volatile boolean deployed;

  DevSession(DefaultStackHub hub, DevConfig config, BuildLog log) {
    this.hub = hub;
    this.config = config;
    this.log = log;
  }

  /** Builds, deploys, forwards, then watches until Ctrl-C; fails like deploy does when the first round fails. */
  void run() {
    DevLoop loop = new DevLoop(config.images(), config.basedir(), config.manifests(), this, config.debounce(), log);
    CountDownLatch cleanedUp = new CountDownLatch(1);
    Runnable stop = () -> {
      try {
        loop.stop();
        stopAndUndeploy();
      } finally {
        cleanedUp.countDown();
      }
    };
    hub.whenStopped(stop);
    try {
      loop.start();
      hub.forward(config.forward());
    } catch (RuntimeException e) {
      hub.forgetWhenStopped(stop);
      loop.stop();
      hub.stopForwards(config.forward().target());
      throw e; // the goal fails like deploy; the stack stays for inspection (undeploy removes it)
    }
    loop.watch();
    // Ctrl-C: the hub's shutdown hook ended watch() (interrupting this thread) and is undeploying;
    // Maven must not report the end of the build before it is done.
    Thread.interrupted();
    Uninterruptibles.awaitUninterruptibly(cleanedUp);
  }

  @Override
  public List<BuiltImage> build(Collection<String> names) {
    BuildConfig subset = config.deploy().build().only(List.copyOf(names));
    List<BuiltImage> built = hub.build(subset);
    built.forEach(b -> current.put(b.name(), b));
    new BuildRecord(List.copyOf(current.values())).write(subset.recordFile()); // every image, for deploy and undeploy
    return built;
  }

  @Override
  public StackApplier.Result deploy(Collection<BuiltImage> images) {
    deployed = true;
    return hub.deployBuilt(config.deploy(), images);
  }

  @Override
  public PodSync.Result sync(BuiltImage image, List<ChangePlan.SyncedFile> files, List<String> afterSync) {
    ClusterConnector.Connection c = hub.connection(config.deploy().request().cluster());
    return new PodSync(c.client(), config.forward().target().namespaceOn(c), SYNC_TIMEOUT)
        .sync(Set.of(image.reference(), image.stableReference()), files, afterSync);
  }

  /** Ctrl-C: stop forwarding, undeploy unless kept. */
  private void stopAndUndeploy() {
    hub.stopForwards(config.forward().target());
    log.info("Stopped watching and forwarding.");
    if (!deployed) {
      return;
    }
    if (config.keep()) {
      log.info("Keeping stack '" + config.undeploy().target().stack() + "' running because llmstack.keep is true;"
          + " remove it later with mvn llmstack:undeploy.");
      return;
    }
    try {
      hub.undeploy(config.undeploy());
    } catch (RuntimeException e) {
      log.error("Could not undeploy stack '" + config.undeploy().target().stack() + "': " + e.getMessage()
          + " Remove it with mvn llmstack:undeploy.");
    }
  }
}
