package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.LocalPorts;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;

/**
 * Ignite snapshots of a real persistent node: taken while it runs, restored into a fresh data
 * directory (another consistent id), which then holds exactly what the snapshot held, records
 * reachable through the sorted index included.
 */
class IgniteSnapshotTest {
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    work = Files.createTempDirectory("memo-s3-snapshot-test");
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void restoredIntoAFreshDirectoryHoldsExactlyTheSnapshot() throws Exception {
    GridConfig src = GridConfig.forTests(work.resolve("src"), LocalPorts.free(), LocalPorts.free());
    BlockAddress kept;
    BlockAddress later;
    try (DataDirectory dd = DataDirectory.open(src.dataDir());
        IgniteGrid grid = IgniteGrid.start(src, dd)) {
      kept = grid.blocks().put(BlockType.CHUNK, b("kept"));
      RecordTable heads = grid.table(Table.HEADS);
      heads.compareAndSet(7, b("a"), 0, b("1"));
      heads.compareAndSet(7, b("b"), 0, b("2"));
      grid.createSnapshot("snap1", () -> {});
      // Progress: ticks while a long operation runs, then its outcome.
      java.util.concurrent.atomic.AtomicInteger ticks =
          new java.util.concurrent.atomic.AtomicInteger();
      IgniteSnapshots.waitFor(
          grid.ignite().compute().runAsync(() -> sleepQuietly(700)), ticks::incrementAndGet, 100);
      assertThat(ticks.get()).isBetween(3, 9);
      later = grid.blocks().put(BlockType.CHUNK, b("later"));
      heads.compareAndSet(7, b("c"), 0, b("3"));
      heads.compareAndSet(7, b("a"), 1, null);
    }
    Path snapshots = work.resolve("src").resolve(IgniteGrid.SNAPSHOTS);
    assertThat(snapshots.resolve("snap1")).isDirectory();
    assertThat(snapshots.resolve("snap1").resolve("db")).isDirectory();
    // The chunks were files of this lone node: the snapshot holds them, and no stage is left.
    assertThat(snapshots.resolve("snap1").resolve(IgniteGrid.BLOCK_FILES)).isDirectory();
    assertThat(snapshots.resolve(".snap1.blocks")).doesNotExist();

    GridConfig fresh =
        GridConfig.forTests(work.resolve("fresh"), LocalPorts.free(), LocalPorts.free());
    try (DataDirectory dd = DataDirectory.open(fresh.dataDir())) {
      IgniteGrid.restoreSnapshot(fresh, dd, snapshots, "snap1", () -> {});
    }
    try (DataDirectory dd = DataDirectory.open(fresh.dataDir());
        IgniteGrid grid = IgniteGrid.start(fresh, dd)) {
      assertThat(grid.blocks().get(kept))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(b("kept")));
      assertThat(grid.blocks().get(later)).isEmpty();
      RecordTable heads = grid.table(Table.HEADS);
      assertThat(heads.range(7, new byte[0], null, 100))
          .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
          .containsExactly("a", "b");
      assertThat(heads.get(7, b("a")).orElseThrow().value()).isEqualTo(b("1"));
    }
  }
}
