package dev.llmstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.apply.StackApplier;
import dev.llmstack.error.StackFailureException;
import dev.llmstack.image.BuiltImage;
import dev.llmstack.image.LayerSpec;
import dev.llmstack.log.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch loop on real files and a real file watcher; the stack's actions are recorded. */
class DevLoopTest {

  @TempDir Path base;
  private final RecordingLog log = new RecordingLog();
  private final RecordingStack stack = new RecordingStack();
  private DevLoop loop;
  private Thread watching;

  @BeforeEach
  void startLoop() throws Exception {
    Files.createDirectories(base.resolve("www"));
    Files.createDirectories(base.resolve("src"));
    Files.createDirectories(base.resolve("api"));
    Files.writeString(base.resolve("www/index.html"), "v1");
    Files.writeString(base.resolve("src/page.html"), "page v1");
    Files.writeString(base.resolve("api/version.txt"), "1");
    Files.createDirectories(base.resolve("llm"));
    Files.writeString(base.resolve("llm/config.yaml"), "model_list: []");
    DevCommand copySources = new DevCommand(
        List.of("sh", "-c", "if grep -q BROKEN src/*; then echo 'page.html: syntax error' >&2; exit 3; fi; cp src/* www/"),
        base, List.of(base.resolve("src")));
    DevImage web = new DevImage("web", List.of(new LayerSpec(base.resolve("www"), "/www", "644", "755")),
        base, List.of("www/**"), List.of(), copySources);
    DevImage api = new DevImage("api", List.of(new LayerSpec(base.resolve("api"), "/app", "644", "755")),
        base, List.of(), List.of(), null);
    DevImage llm = new DevImage("llm", List.of(new LayerSpec(base.resolve("llm/config.yaml"), "/app/config.yaml", "644", "755")),
        base, List.of("llm/config.yaml"), List.of("sh", "-c", "kill -HUP 1"), null);
    loop = new DevLoop(List.of(web, api, llm), base, base.resolve("k8s"), stack, Duration.ofMillis(100), log);
    loop.start();
    assertThat(stack.next()).isEqualTo("build [web, api, llm]");
    assertThat(stack.next()).isEqualTo("deploy [web, api, llm]");
    assertThat(base.resolve("www/page.html")).hasContent("page v1"); // the command ran before the build
    watching = new Thread(loop::watch);
    watching.start();
  }

  @AfterEach
  void stopLoop() throws Exception {
    loop.stop();
    watching.join(5_000);
    assertThat(watching.isAlive()).as("watch() returned after stop()").isFalse();
  }

  @Test
  void aSyncedFileIsSyncedWithoutARebuild() throws Exception {
    Files.writeString(base.resolve("www/index.html"), "v2");

    assertThat(stack.next()).isEqualTo("sync web [/www/index.html]");
    assertThat(stack.nothingMore()).isTrue();
    awaitLine(log.infos, l -> l.startsWith("Synced 1 file(s) to 1 pod(s) of web"), "Synced 1 file(s) to 1 pod(s) of web");
  }

  @Test
  void anImagesAfterSyncCommandGoesWithItsSyncOnly() throws Exception {
    Files.writeString(base.resolve("llm/config.yaml"), "model_list: [new]");

    assertThat(stack.next()).isEqualTo("sync llm [/app/config.yaml] then [sh, -c, kill -HUP 1]");
    assertThat(stack.nothingMore()).isTrue();
    awaitLine(log.infos, l -> l.startsWith("Synced 1 file(s) to 1 pod(s) of llm and ran 'sh -c kill -HUP 1' there ("),
        "Synced 1 file(s) to 1 pod(s) of llm and ran 'sh -c kill -HUP 1' there");
  }

  @Test
  void aDeletedSyncedFileIsDeletedInTheContainers() throws Exception {
    Files.delete(base.resolve("www/index.html"));

    assertThat(stack.next()).isEqualTo("sync web [-/www/index.html]");
  }

  @Test
  void aChangedSourceReRunsTheCommandAndSyncsWhatItWrote() throws Exception {
    Files.writeString(base.resolve("src/page.html"), "page v2");

    assertThat(stack.next()).isEqualTo("sync web [/www/page.html]");
    // the loop logs after the sync returns: wait for the line rather than read the log at once
    awaitLine(log.infos, l -> l.startsWith("Ran 'sh -c") && l.contains("synced 1 file(s)"), "Ran 'sh -c … synced 1 file(s)");
  }

  @Test
  void anyOtherChangeRebuildsOnlyThatImageAndReapplies() throws Exception {
    Files.writeString(base.resolve("api/version.txt"), "2");

    assertThat(stack.next()).isEqualTo("build [api]");
    assertThat(stack.next()).isEqualTo("deploy [web, api, llm]");
    assertThat(stack.nothingMore()).isTrue();
  }

  @Test
  void aFailedRebuildIsReportedAndRetriedWithTheNextChange() throws Exception {
    stack.failBuilds.set(true);
    Files.writeString(base.resolve("api/version.txt"), "2");
    assertThat(stack.next()).isEqualTo("build [api]");
    awaitError("image api failed");
    awaitLine(log.infos, l -> l.startsWith("Still watching"), "Still watching");

    stack.failBuilds.set(false);
    Files.writeString(base.resolve("www/index.html"), "v2");
    assertThat(stack.next()).isEqualTo("sync web [/www/index.html]"); // the quick part first
    assertThat(stack.next()).isEqualTo("build [api]");
    assertThat(stack.next()).isEqualTo("deploy [web, api, llm]");
  }

  @Test
  void aFailingCommandIsReportedWithItsOutputAndFixingItRecovers() throws Exception {
    Files.writeString(base.resolve("src/page.html"), "BROKEN");
    awaitError("page.html: syntax error");
    assertThat(stack.nothingMore()).isTrue();

    Files.writeString(base.resolve("src/page.html"), "page v3");
    assertThat(stack.next()).isEqualTo("sync web [/www/page.html]");
  }

  @Test
  void aManifestChangeReappliesWithoutBuilding() throws Exception {
    Files.createDirectories(base.resolve("k8s")); // created after start: seen through the parent's watch
    Files.writeString(base.resolve("k8s/web.yaml"), "kind: Service");

    assertThat(stack.next()).isEqualTo("deploy [web, api, llm]");
  }

  private void awaitError(String text) throws InterruptedException {
    awaitLine(log.errors, e -> e.contains(text), "an error containing " + text);
  }

  private static void awaitLine(List<String> lines, Predicate<String> wanted, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (lines.stream().anyMatch(wanted)) {
        return;
      }
      Thread.sleep(20); // polling the log the loop writes from its thread
    }
    assertThat(lines).as(what + " within 10 s").anyMatch(wanted);
  }

  /** Records each action as one line; tests take them in order, with a bound. */
  private static final class RecordingStack implements DevLoop.Stack {
    final BlockingQueue<String> actions = new LinkedBlockingQueue<>();
    final AtomicBoolean failBuilds = new AtomicBoolean();

    String next() throws InterruptedException {
      String action = actions.poll(10, TimeUnit.SECONDS);
      assertThat(action).as("an action within 10 s").isNotNull();
      return action;
    }

    boolean nothingMore() throws InterruptedException {
      return actions.poll(500, TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public List<BuiltImage> build(Collection<String> names) {
      actions.add("build " + names);
      if (failBuilds.get()) {
        throw new StackFailureException("image api failed to build.", "Fix it.");
      }
      return names.stream()
          .map(n -> new BuiltImage(n, n + ":abc", n + ":dev", "sha256:1", "d", "daemon", 1, 1, 0.1, true))
          .toList();
    }

    @Override
    public StackApplier.Result deploy(Collection<BuiltImage> images) {
      actions.add("deploy " + images.stream().map(BuiltImage::name).toList());
      return new StackApplier.Result(List.of(), List.of());
    }

    @Override
    public PodSync.Result sync(BuiltImage image, List<ChangePlan.SyncedFile> files, List<String> afterSync) {
      List<String> paths = new ArrayList<>();
      files.forEach(f -> paths.add((f.deleted() ? "-" : "") + f.containerPath()));
      actions.add("sync " + image.name() + " " + paths + (afterSync.isEmpty() ? "" : " then " + afterSync));
      return new PodSync.Result(files.size(), 1);
    }
  }
}
