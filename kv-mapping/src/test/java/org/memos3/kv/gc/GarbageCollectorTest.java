package org.memos3.kv.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.Table;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.TestClock;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.multipart.Uploads;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.ObjectStoreTest;

/** Overwrite, delete, abort and crash leftovers: after GC the grid holds only live blocks. */
class GarbageCollectorTest {
  static final int CHUNK = 1024;
  static final long GRACE = 60_000;
  static final long SWEEP_GRACE = 3_600_000;

  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final TestClock clock = new TestClock();
  private final KvConfig cfg = new KvConfig(CHUNK, 3, 2, 64, 8, GRACE, SWEEP_GRACE);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), clock);
  private final ObjectStore store = new ObjectStore(grid, buckets, io, clock, cfg);
  private final Uploads uploads = new Uploads(grid, buckets, store, clock);
  private final GarbageCollector gc = new GarbageCollector(grid, buckets, clock, cfg);

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Chunks of an object of {@code size} bytes (none when inline). */
  private static long chunksOf(int size) {
    return size <= 64 ? 0 : (size + CHUNK - 1) / CHUNK;
  }

  /**
   * Blocks of a single-PUT object of {@code size} bytes: its chunks (a manifest this small is
   * embedded in its head).
   */
  private static long blocksOf(int size) {
    return chunksOf(size);
  }

  /** Blocks of a manifest stored as a block of its own, with its chunks. */
  private static long withManifestBlock(int size) {
    return 1 + chunksOf(size);
  }

  @Test
  void aRunThatFreesNothingWritesNothing() throws Exception {
    buckets.create("gc-idle", "root");
    store.put("gc-idle", "k", ObjectStoreTest.data(bytes(3000, 1)), Conditions.NONE);

    assertThat(gc.reap().manifests()).isZero();
    assertThat(gc.sweep().blocks()).isZero();

    assertThat(grid.table(Table.META).get(0, "gc-stats".getBytes(StandardCharsets.UTF_8)))
        .as("no stats record written")
        .isEmpty();
    assertThat(gc.status().reclaimedBlocks()).isZero();
  }

  @Test
  void onlyLiveBlocksRemainAfterReapAndSweep() throws Exception {
    buckets.create("gc-bucket", "root");
    long live = 0;
    // 20 keys overwritten 3 times each: only the last write of each stays.
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 20; k++) {
        store.put(
            "gc-bucket",
            "k" + k,
            ObjectStoreTest.data(bytes(3000 + k, round * 100 + k)),
            Conditions.NONE);
      }
    }
    // Half of them deleted.
    for (int k = 0; k < 10; k++) {
      store.delete("gc-bucket", "k" + k);
    }
    for (int k = 10; k < 20; k++) {
      live += blocksOf(3000 + k);
    }
    // Small objects, inline in their embedded manifests: overwritten and deleted, nothing to free.
    store.put("gc-bucket", "tiny", ObjectStoreTest.data(bytes(10, 8)), Conditions.NONE);
    store.put("gc-bucket", "tiny", ObjectStoreTest.data(bytes(20, 9)), Conditions.NONE);
    store.put("gc-bucket", "tiny-gone", ObjectStoreTest.data(bytes(30, 10)), Conditions.NONE);
    store.delete("gc-bucket", "tiny-gone");
    // A manifest too large to embed (300 chunk refs): its own block, overwritten once.
    int big = 300 * CHUNK;
    for (int round = 0; round < 2; round++) {
      var h =
          store.put(
              "gc-bucket", "big", ObjectStoreTest.data(bytes(big, 11 + round)), Conditions.NONE);
      assertThat(h.manifest()).isInstanceOf(org.memos3.kv.manifest.ManifestRef.Stored.class);
    }
    live += withManifestBlock(big);
    // An aborted multipart upload, and a replaced part in a completed one.
    var u = uploads.create("gc-bucket", "mp", java.util.Map.of(), java.util.Map.of(), "root");
    uploads.uploadPart("gc-bucket", "mp", u.uploadId(), 1, ObjectStoreTest.data(bytes(5000, 1)));
    uploads.abort("gc-bucket", "mp", u.uploadId());
    var u2 = uploads.create("gc-bucket", "mp2", java.util.Map.of(), java.util.Map.of(), "root");
    uploads.uploadPart("gc-bucket", "mp2", u2.uploadId(), 1, ObjectStoreTest.data(bytes(100, 2)));
    var p =
        uploads.uploadPart(
            "gc-bucket", "mp2", u2.uploadId(), 1, ObjectStoreTest.data(bytes(2000, 3)));
    uploads.complete(
        "gc-bucket",
        "mp2",
        u2.uploadId(),
        List.of(new Uploads.CompletedPart(1, p.etag())),
        Conditions.NONE);
    live += 1 + withManifestBlock(2000); // object manifest + part manifest and chunks
    // A versioned bucket: two versions kept, one version deleted for good.
    buckets.create("gc-versions", "root");
    buckets.setVersioning("gc-versions", Versioning.ENABLED);
    store.put("gc-versions", "v", ObjectStoreTest.data(bytes(1500, 4)), Conditions.NONE);
    String v2 =
        store
            .put("gc-versions", "v", ObjectStoreTest.data(bytes(1600, 5)), Conditions.NONE)
            .versionId();
    store.put("gc-versions", "v", ObjectStoreTest.data(bytes(1700, 6)), Conditions.NONE);
    store.deleteVersion("gc-versions", "v", v2);
    live += blocksOf(1500) + blocksOf(1700);
    // A crash between chunks and head: data and manifest stored, never committed.
    Bucket b = buckets.require("gc-bucket");
    store.storeManifest(b, store.storeData(b, ObjectStoreTest.data(bytes(4000, 7)), 0));

    assertThat(grid.blocks().count()).isGreaterThan(live);
    // Within the grace period nothing is reaped.
    assertThat(gc.reap().blocks()).isZero();
    clock.now += GRACE + 1;
    java.util.Map<String, Long> seen = new java.util.TreeMap<>();
    GarbageCollector.Report reaped = gc.reap(seen::put);
    assertThat(reaped.manifests()).isGreaterThan(0);
    assertThat(seen).containsEntry("retired versions reaped", reaped.manifests());
    assertThat(gc.status().pendingManifests()).isZero();
    // The crash leftovers: suspects first, freed only after the sweep grace.
    seen.clear();
    gc.sweep(seen::put);
    assertThat(seen)
        .containsEntry("stored blocks scanned", grid.blocks().count())
        .containsEntry("suspects checked", withManifestBlock(4000))
        .containsKey("records marked");
    assertThat(gc.status().suspects()).isEqualTo(withManifestBlock(4000));
    assertThat(grid.blocks().count()).isEqualTo(live + withManifestBlock(4000));
    clock.now += SWEEP_GRACE + 1;
    gc.sweep();
    assertThat(grid.blocks().count()).isEqualTo(live);
    assertThat(gc.status().suspects()).isZero();
    assertThat(gc.status().reclaimedBlocks()).isGreaterThan(0);

    // Everything live still reads back.
    for (int k = 10; k < 20; k++) {
      assertThat(store.find("gc-bucket", "k" + k)).isPresent();
    }
    assertThat(store.find("gc-bucket", "tiny").orElseThrow().head().size()).isEqualTo(20);
    assertThat(store.find("gc-bucket", "tiny-gone")).isEmpty();
    assertThat(store.find("gc-bucket", "big").orElseThrow().head().size()).isEqualTo(big);
    assertThat(store.find("gc-bucket", "mp2").orElseThrow().head().size()).isEqualTo(2000);
    assertThat(store.listVersions("gc-versions", "", null, null, null, 10).versions()).hasSize(2);
  }
}
