package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.kv.object.ObjectStoreTest.data;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.gc.GcEntry;

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

  private List<ObjectStore.VersionEntry> versionsOf(String key) {
    return s.listVersions("vb1", key, null, null, null, 1000).versions();
  }

  /** Write ids of the versions waiting for the reaper (GC key: due time, then write id). */
  private Set<String> retiredWriteIds() {
    Set<String> out = new HashSet<>();
    for (VersionedRecord r :
        grid.table(Table.GC).range(GcEntry.GROUP, new byte[0], null, 100_000)) {
      out.add(HexFormat.of().formatHex(r.key(), 8, r.key().length));
    }
    return out;
  }

  /**
   * Deleting every version of a key at once, one thread per version, leaves no version: a version
   * promoted to the head as its successor is deleted cannot come back after its own delete
   * (s3-tests' concurrent create-and-remove found it coming back about one round in four).
   */
  @Test
  void concurrentDeletesOfEveryVersionLeaveNone() throws Exception {
    buckets.create("vb1", "root");
    buckets.setVersioning("vb1", Versioning.ENABLED);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      for (int round = 0; round < 40; round++) {
        String key = "k" + round;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          ids.add(s.put("vb1", key, data(new byte[5000 + i]), Conditions.NONE).versionId());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (String id : ids) {
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    return s.deleteVersion("vb1", key, id);
                  }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
        assertThat(versionsOf(key)).as("round %d", round).isEmpty();
        assertThat(s.find("vb1", key)).as("round %d", round).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * PUTs and deletes of versions racing on one key: whatever survives is whole, never a version
   * whose blocks went to the reaper, and every version deleted is gone.
   */
  @Test
  void racingPutsAndVersionDeletesKeepNoRetiredVersion() throws Exception {
    buckets.create("vb1", "root");
    buckets.setVersioning("vb1", Versioning.ENABLED);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger writersLeft =
        new java.util.concurrent.atomic.AtomicInteger(3);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 60; i++) {
                    s.put("vb1", "k", data(new byte[5000 + writer * 100 + i]), Conditions.NONE);
                  }
                  writersLeft.decrementAndGet();
                  return null;
                }));
      }
      for (int d = 0; d < 3; d++) {
        done.add(
            pool.submit(
                () -> {
                  java.util.Random random = new java.util.Random();
                  while (writersLeft.get() > 0) {
                    List<ObjectStore.VersionEntry> vs = versionsOf("k");
                    if (!vs.isEmpty()) {
                      String id = vs.get(random.nextInt(vs.size())).head().versionId();
                      s.deleteVersion("vb1", "k", id);
                      deleted.add(id);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> retired = retiredWriteIds();
    List<ObjectStore.VersionEntry> left = versionsOf("k");
    assertThat(deleted).isNotEmpty();
    assertThat(left).extracting(e -> e.head().versionId()).doesNotContainAnyElementsOf(deleted);
    for (ObjectStore.VersionEntry e : left) {
      assertThat(retired).doesNotContain(HexFormat.of().formatHex(e.head().writeId()));
      assertThat(body("k", e.head().versionId())).hasSize((int) e.head().size());
    }
    assertThat(left.stream().filter(ObjectStore.VersionEntry::latest)).hasSizeLessThanOrEqualTo(1);
  }
}
