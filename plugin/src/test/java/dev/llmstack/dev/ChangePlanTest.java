package dev.llmstack.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmstack.image.LayerSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangePlanTest {

  private static final Path BASE = Path.of("/p");
  private static final DevImage WEB = new DevImage("web",
      List.of(new LayerSpec(BASE.resolve("www"), "/www", "644", "755"),
          new LayerSpec(BASE.resolve("conf/httpd.conf"), "/etc/httpd.conf", "600", "755")),
      BASE, List.of("www/**"), List.of(), null);
  private static final DevImage API = new DevImage("api",
      List.of(new LayerSpec(BASE.resolve("api"), "/app/", "755", "755")), BASE, List.of(), List.of(), null);

  @Test
  void aSyncedFileIsCopiedToItsLayerTargetWithTheLayersPermissions() {
    ChangePlan plan = ChangePlan.of(List.of(WEB, API), List.of(FileChange.modified(BASE.resolve("www/css/site.css"))), null);

    assertThat(plan.rebuilds()).isEmpty();
    assertThat(plan.syncs()).containsOnlyKeys("web");
    assertThat(plan.syncs().get("web"))
        .containsExactly(new ChangePlan.SyncedFile(BASE.resolve("www/css/site.css"), "/www/css/site.css", "644", false));
  }

  @Test
  void aDeletedSyncedFileIsDeletedThere() {
    ChangePlan plan = ChangePlan.of(List.of(WEB), List.of(FileChange.deleted(BASE.resolve("www/old.html"))), null);

    assertThat(plan.syncs().get("web")).singleElement().satisfies(f -> {
      assertThat(f.deleted()).isTrue();
      assertThat(f.containerPath()).isEqualTo("/www/old.html");
    });
  }

  @Test
  void aLayerFileNoSyncRuleCoversRebuildsOnlyItsImage() {
    ChangePlan plan = ChangePlan.of(List.of(WEB, API), List.of(FileChange.modified(BASE.resolve("api/main.sh"))), null);

    assertThat(plan.rebuilds()).containsExactly("api");
    assertThat(plan.syncs()).isEmpty();
  }

  @Test
  void aFileLayerIsMappedToItsTargetAndRebuiltWhenNotSynced() {
    ChangePlan plan = ChangePlan.of(List.of(WEB), List.of(FileChange.modified(BASE.resolve("conf/httpd.conf"))), null);

    assertThat(plan.rebuilds()).containsExactly("web");
  }

  @Test
  void aRebuildOfAnImageSupersedesItsSyncsInTheSameBatch() {
    ChangePlan plan = ChangePlan.of(List.of(WEB),
        List.of(FileChange.modified(BASE.resolve("www/index.html")), FileChange.modified(BASE.resolve("conf/httpd.conf"))), null);

    assertThat(plan.rebuilds()).containsExactly("web");
    assertThat(plan.syncs()).isEmpty();
  }

  @Test
  void manifestChangesAreFlaggedAndFilesOfNoImageAreIgnored() {
    ChangePlan plan = ChangePlan.of(List.of(WEB, API),
        List.of(FileChange.modified(BASE.resolve("k8s/base/web.yaml")), FileChange.modified(BASE.resolve("README.md"))),
        BASE.resolve("k8s"));

    assertThat(plan.manifestsChanged()).isTrue();
    assertThat(plan.rebuilds()).isEmpty();
    assertThat(plan.syncs()).isEmpty();
    assertThat(ChangePlan.of(List.of(WEB), List.of(FileChange.modified(BASE.resolve("README.md"))), BASE.resolve("k8s")).isEmpty())
        .isTrue();
  }
}
