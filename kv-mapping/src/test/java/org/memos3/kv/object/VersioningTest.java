package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.kv.object.ObjectStoreTest.data;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Versioning;

/** Versions, delete markers, promotion and the null version, on the in-memory grid. */
class VersioningTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
  private final ObjectStore s =
      new ObjectStore(grid, buckets, io, Clock.systemUTC(), KvConfig.defaults());

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private String body(String key, String versionId) {
    var v = s.findVersion("vb1", key, versionId).orElseThrow();
    return new String(ObjectStoreTest.read(s, v.object(), 0, v.head().size()));
  }

  @Test
  void versionsMarkersAndPromotion() throws Exception {
    buckets.create("vb1", "root");
    s.put("vb1", "k", data("zero".getBytes()), Conditions.NONE); // the null version
    buckets.setVersioning("vb1", Versioning.ENABLED);
    String v1 = s.put("vb1", "k", data("one".getBytes()), Conditions.NONE).versionId();
    String v2 = s.put("vb1", "k", data("two".getBytes()), Conditions.NONE).versionId();
    assertThat(v1).isNotEqualTo("null").isNotEqualTo(v2);
    ObjectStore.Deletion marker = s.delete("vb1", "k");
    assertThat(marker.deleteMarker()).isTrue();
    assertThat(s.find("vb1", "k")).isEmpty();
    assertThat(s.list("vb1", "", null, null, 100).objects()).isEmpty();

    var page = s.listVersions("vb1", "", null, null, null, 100);
    assertThat(page.versions())
        .extracting(e -> e.head().versionId())
        .containsExactly(marker.versionId(), v2, v1, "null");
    assertThat(page.versions().get(0).latest()).isTrue();
    assertThat(body("k", v1)).isEqualTo("one");
    assertThat(body("k", "null")).isEqualTo("zero");

    // Paging through versions with markers.
    var p1 = s.listVersions("vb1", "", null, null, null, 2);
    assertThat(p1.truncated()).isTrue();
    var p2 = s.listVersions("vb1", "", null, p1.nextKeyMarker(), p1.nextVersionIdMarker(), 2);
    assertThat(p2.versions()).extracting(e -> e.head().versionId()).containsExactly(v1, "null");

    // Removing the marker brings v2 back; removing v2 promotes v1.
    s.deleteVersion("vb1", "k", marker.versionId());
    assertThat(body("k", null)).isEqualTo("two");
    s.deleteVersion("vb1", "k", v2);
    assertThat(body("k", null)).isEqualTo("one");
    assertThat(s.listVersions("vb1", "", null, null, null, 100).versions()).hasSize(2);

    // Suspended: a write replaces the null version instead of adding one.
    buckets.setVersioning("vb1", Versioning.SUSPENDED);
    s.put("vb1", "k", data("three".getBytes()), Conditions.NONE);
    assertThat(s.listVersions("vb1", "", null, null, null, 100).versions())
        .extracting(e -> e.head().versionId())
        .containsExactly("null", v1);
    assertThat(body("k", null)).isEqualTo("three");
  }
}
