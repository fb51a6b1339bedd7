package dev.llmstack.maven;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.llmstack.cluster.ClusterConnector;
import dev.llmstack.cluster.StackApplier;
import dev.llmstack.cluster.StackDeployment;
import dev.llmstack.cluster.StackRemover;
import dev.llmstack.dev.ChangePlan;
import dev.llmstack.dev.DevImage;
import dev.llmstack.dev.DevLoop;
import dev.llmstack.dev.PodSync;
import dev.llmstack.forward.EndpointTable;
import dev.llmstack.forward.ForwardSession;
import dev.llmstack.image.BuildRecord;
import dev.llmstack.image.BuildRequest;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.image.ImageSpec;
import dev.llmstack.image.ImageSpecs;
import dev.llmstack.image.StackImageBuild;
import dev.llmstack.log.BuildLog;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * {@code skaffold dev --port-forward} in Maven: builds, deploys, waits, forwards, prints the
 * endpoints, then watches every image's inputs. A changed file matching an image's {@code <sync>}
 * rules is copied into its running containers; any other change rebuilds only the images it touches
 * and rolls only their workloads. Ctrl-C stops watching and forwarding and undeploys (unless
 * {@code llmstack.keep}).
 */
@Mojo(name = "dev", threadSafe = true)
public class DevMojo extends DeployMojo {

  /**
   * Milliseconds without further changes before a batch of changes is handled (a build writing many
   * files becomes one rebuild). A tool writes a burst of files milliseconds apart (webpack waits
   * 20 ms); a longer pause only makes a second batch.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dev.debounce", defaultValue = "50")
  private int debounce;

  /**
   * Directory whose changes re-apply the stack. Default: the overlay's {@code k8s/} directory when
   * the overlay is {@code .../overlays/<name>} (so the base is watched too), else the overlay.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dev.manifests")
  private File manifests;

  /**
   * Logical names of the Services to forward; default: all of the stack's.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.services")
  private List<String> services = new ArrayList<>();

  /**
   * Take a free local port when a service's own port is busy.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.forward.anyPort", defaultValue = "false")
  private boolean anyPort;

  /**
   * Leaves the stack running after Ctrl-C.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.keep", defaultValue = "false")
  private boolean keep;

  /**
   * On Ctrl-C, also deletes the stack's PersistentVolumeClaims.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.deleteVolumes", defaultValue = "false")
  private boolean deleteVolumes;

  /**
   * Skips this goal only.
   *
   * @since 0.1.0
   */
  @Parameter(property = "llmstack.dev.skip", defaultValue = "false")
  private boolean skipDev;

  @Inject
  public DevMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goal() {
    return "dev";
  }

  @Override
  protected String goalSkippedBy() {
    return skipDev ? "llmstack.dev.skip" : null;
  }

  @Override
  protected void run(BuildLog log) {
    Path basedir = project.getBasedir().toPath();
    List<ImageSpec> specs = imageSpecs();
    List<DevImage> devImages = DevParameters.toDevImages(imageParameters(), specs, basedir);
    BuildRequest allImages = buildRequest(specs, log);
    Session session = new Session(allImages, log);
    DevLoop loop = new DevLoop(devImages, basedir, manifestsDirectory(), session, Duration.ofMillis(debounce), log);

    CountDownLatch cleanedUp = new CountDownLatch(1);
    Thread cleanup = new Thread(() -> {
      try {
        loop.stop();
        session.close(log);
      } finally {
        cleanedUp.countDown();
      }
    }, "llmstack-dev-stop");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      loop.start();
      session.forward(log);
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(cleanup);
      loop.stop();
      session.closeForwards();
      session.disconnect();
      throw e; // the goal fails like deploy; the stack stays for inspection (undeploy removes it)
    }
    loop.watch();
    // Ctrl-C: the shutdown hook ended watch() (interrupting this thread) and is undeploying; Maven
    // must not report the end of the build before it is done.
    Thread.interrupted();
    Uninterruptibles.awaitUninterruptibly(cleanedUp);
  }


  private Path manifestsDirectory() {
    if (manifests != null) {
      return manifests.toPath().toAbsolutePath().normalize();
    }
    Path o = overlay().toPath().toAbsolutePath().normalize();
    Path parent = o.getParent();
    return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("overlays")
            && parent.getParent() != null
        ? parent.getParent()
        : o;
  }

  /** The dev loop's hands: build and deploy as the goals do, sync over the connection forwards use. */
  private final class Session implements DevLoop.Stack {
    private final BuildRequest allImages;
    private final BuildLog log;
    private final Map<String, BuiltImage> current = new LinkedHashMap<>();
    private ClusterConnector.Connection connection; // guarded by this
    private final AtomicReference<ForwardSession> forwards = new AtomicReference<>();
    private volatile boolean deployed;

    Session(BuildRequest allImages, BuildLog log) {
      this.allImages = allImages;
      this.log = log;
    }

    @Override
    public List<BuiltImage> build(Collection<String> names) {
      List<ImageSpec> subset = allImages.images().stream().filter(s -> names.contains(s.name())).toList();
      ImageSpecs.validate(subset); // a layer source may have gone since the start
      BuildRequest request = new BuildRequest(subset, allImages.destination(), allImages.tag(), allImages.outputDirectory(),
          allImages.baseLayersCache(), allImages.registries(), allImages.offline(), allImages.toolVersion());
      List<BuiltImage> built = new StackImageBuild(request, log).run();
      built.forEach(b -> current.put(b.name(), b));
      new BuildRecord(List.copyOf(current.values())).write(allImages.recordFile()); // every image, for deploy/undeploy
      return built;
    }

    @Override
    public StackApplier.Result deploy(Collection<BuiltImage> images) {
      deployed = true;
      try (StackDeployment deployment = StackDeployment.start(deployRequest(), this::connect, log)) {
        return deployment.run(references(images), false); // built before start(): its reads are fresh
      }
    }

    @Override
    public PodSync.Result sync(BuiltImage image, List<ChangePlan.SyncedFile> files, List<String> afterSync) {
      ClusterConnector.Connection c = connect();
      return new PodSync(c.client(), namespaceOn(c), Duration.ofSeconds(60))
          .sync(Set.of(image.reference(), image.stableReference()), files, afterSync);
    }

    void forward(BuildLog log) {
      ClusterConnector.Connection c = connect();
      ForwardSession session = ForwardSession.open(c.client(), namespaceOn(c), stack, services.stream().map(String::trim).toList(), anyPort, log);
      forwards.set(session);
      Map<String, String> properties = EndpointTable.properties(session.endpoints());
      EndpointTable.write(outputDirectory.toPath().resolve("endpoints.properties"), properties);
      EndpointTable.lines(session.endpoints()).forEach(log::info);
    }

    /** The session's one connection (deploys, syncs, forwards), opened on first use. */
    private synchronized ClusterConnector.Connection connect() {
      if (connection == null) {
        connection = ClusterConnector.connect(clusterOptions(), log);
      }
      return connection;
    }

    void closeForwards() {
      ForwardSession session = forwards.getAndSet(null);
      if (session != null) {
        session.close();
      }
    }

    /** Ctrl-C: stop forwarding, undeploy unless kept. */
    void close(BuildLog log) {
      closeForwards();
      log.info("Stopped watching and forwarding.");
      try {
        if (!deployed) {
          return;
        }
        if (keep) {
          log.info("Keeping stack '" + stack + "' running because llmstack.keep is true; remove it later with mvn llmstack:undeploy.");
          return;
        }
        // A connection of its own: closing the forwards closed the client they shared.
        ClusterConnector.Connection c = ClusterConnector.connect(clusterOptions(), log);
        try (var client = c.client()) {
          new StackRemover(client, stack, namespaceOn(c), log).remove(deleteVolumes, Duration.ofSeconds(timeout), tooling());
        }
      } catch (RuntimeException e) {
        log.error("Could not undeploy stack '" + stack + "': " + e.getMessage() + " Remove it with mvn llmstack:undeploy.");
      } finally {
        disconnect();
      }
    }

    synchronized void disconnect() {
      if (connection != null) {
        connection.client().close();
        connection = null;
      }
    }
  }
}
