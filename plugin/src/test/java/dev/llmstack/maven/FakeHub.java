package dev.llmstack.maven;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.config.BuildConfig;
import dev.llmstack.config.CheckConfig;
import dev.llmstack.config.DeployConfig;
import dev.llmstack.config.DevConfig;
import dev.llmstack.config.ForwardConfig;
import dev.llmstack.config.UndeployConfig;
import dev.llmstack.forward.Endpoint;
import dev.llmstack.hub.StackHub;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.log.BuildLog;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;

/** A hub that records the calls the goals make (and fails when told to), for the Mojos' tests. */
final class FakeHub implements StackHub, Hubs {

  final List<Object> calls = new ArrayList<>();
  final List<String> methods = new ArrayList<>();
  RuntimeException failure;
  List<Endpoint> endpoints = List.of();

  @Override
  public StackHub hub(MavenSession session, BuildLog log) {
    return this;
  }

  private void record(String method, Object config) {
    methods.add(method);
    calls.add(config);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void check(CheckConfig config) {
    record("check", config);
  }

  @Override
  public List<BuiltImage> build(BuildConfig config) {
    record("build", config);
    return List.of();
  }

  @Override
  public StackApplier.Result deploy(DeployConfig config) {
    record("deploy", config);
    return new StackApplier.Result(List.of(), List.of());
  }

  @Override
  public List<Endpoint> forward(ForwardConfig config) {
    record("forward", config);
    return endpoints;
  }

  @Override
  public void forwardUntilStopped(ForwardConfig config) {
    record("forwardUntilStopped", config);
  }

  @Override
  public void undeploy(UndeployConfig config) {
    record("undeploy", config);
  }

  @Override
  public void dev(DevConfig config) {
    record("dev", config);
  }

  @Override
  public void close() {
    methods.add("close");
  }

  @SuppressWarnings("unchecked")
  <T> T only(Class<T> type) {
    if (calls.size() != 1 || !type.isInstance(calls.get(0))) {
      throw new AssertionError("expected one call with a " + type.getSimpleName() + ", got " + methods);
    }
    return (T) calls.get(0);
  }
}
