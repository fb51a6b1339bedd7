package dev.llmstack.hub;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.CheckConfig;
import dev.llmstack.config.DeployConfig;
import dev.llmstack.config.DevConfig;
import dev.llmstack.config.ForwardConfig;
import dev.llmstack.config.UndeployConfig;
import dev.llmstack.forward.Endpoint;
import dev.llmstack.image.BuiltImage;
import java.util.List;

/**
 * The stack's services, one per goal, over resources the hub owns: the cluster connection, the
 * background threads and the port-forwards, opened when first needed and closed in one place
 * ({@link #close}). One hub serves a whole build, so that forward's sessions outlive the forward
 * goal until undeploy or the end of the build, and a build's goals share one connection.
 */
public interface StackHub extends AutoCloseable {

  /** Checks in seconds what build and deploy would fail on (daemon, cluster, overlay) and the minikube profile's room. */
  void check(CheckConfig config);

  /** Builds the images that are missing or changed; the result is also in {@code images.json}. */
  List<BuiltImage> build(BuildConfig config);

  /** Renders and checks the overlay, builds (or reads the last build), applies and waits until ready. */
  StackApplier.Result deploy(DeployConfig config);

  /** Forwards the stack's Services in the background until {@link #undeploy} or {@link #close}. */
  List<Endpoint> forward(ForwardConfig config);

  /** Forwards the stack's Services until the JVM is asked to stop (Ctrl-C). */
  void forwardUntilStopped(ForwardConfig config);

  /** Stops the stack's forwards and deletes what deploy applied, keeping what holds data. */
  void undeploy(UndeployConfig config);

  /** Builds, deploys, forwards, then watches and syncs until Ctrl-C, and undeploys (unless kept). */
  void dev(DevConfig config);

  /** Stops the forwards, closes the connections, ends the threads; the hub can be used no more. */
  @Override
  void close();
}
