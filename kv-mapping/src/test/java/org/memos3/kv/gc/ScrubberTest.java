package org.memos3.kv.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.ObjectStoreTest;

/** Scrub on the in-memory grid: a sound store is clean, a lost chunk is named with its object. */
class ScrubberTest {
  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final org.memos3.kv.TestClock clock = new org.memos3.kv.TestClock();
  private final KvConfig cfg = new KvConfig(1024, 3, 2, 64, 8, 60_000, 3_600_000);
  private final Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), clock);
  private final ObjectStore store = new ObjectStore(grid, buckets, io, clock, cfg);

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  @Test
  void aMissingChunkIsReportedWithItsObject() throws Exception {
    buckets.create("scrub-bucket", "root");
    store.put(
        "scrub-bucket",
        "sound",
        ObjectStoreTest.data(GarbageCollectorTest.bytes(3000, 1)),
        Conditions.NONE);
    store.put(
        "scrub-bucket",
        "hurt",
        ObjectStoreTest.data(GarbageCollectorTest.bytes(3000, 2)),
        Conditions.NONE);
    Scrubber scrubber = new Scrubber(grid, buckets);
    List<long[]> ticks = new ArrayList<>();

    Scrubber.Report clean = scrubber.run((done, total) -> ticks.add(new long[] {done, total}), 1);
    assertThat(clean.clean()).isTrue();
    assertThat(clean.blocksChecked()).isEqualTo(grid.blocks().count());
    assertThat(clean.objectsChecked()).isEqualTo(2);
    assertThat(ticks.get(ticks.size() - 1))
        .containsExactly(clean.blocksChecked(), clean.blocksChecked());

    BlockAddress lost =
        store.find("scrub-bucket", "hurt").orElseThrow().manifest().refs().get(0).address();
    grid.blocks().delete(lost);
    Scrubber.Report hurt = scrubber.run((done, total) -> {}, 0);
    assertThat(hurt.clean()).isFalse();
    assertThat(hurt.missingBlocks()).isEqualTo(1);
    assertThat(hurt.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo("MISSING");
              assertThat(p.address()).isEqualTo(lost.toHex());
              assertThat(p.key()).isEqualTo("hurt");
              assertThat(p.bucket()).isEqualTo("scrub-bucket");
            });
  }
}
