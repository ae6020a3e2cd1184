package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.LocalPorts;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;

/** A real persistent Ignite node in a temp directory: blocks, CAS, sorted ranges, restart. */
class IgniteGridTest {
  private Path dir;
  private GridConfig cfg;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("memo-s3-grid-test");
    cfg = GridConfig.forTests(dir, LocalPorts.free(), LocalPorts.free());
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void blocksCasAndRangesSurviveRestart() throws Exception {
    BlockAddress a;
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      a = grid.blocks().put(BlockType.CHUNK, b("hello"));
      assertThat(grid.blocks().put(BlockType.CHUNK, b("hello"))).isEqualTo(a);
      assertThat(grid.blocks().get(a)).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("hello")));

      RecordTable heads = grid.table(Table.HEADS);
      for (String k : List.of("b", "a", "c/1", "c/2", "\u00e9", "d")) {
        assertThat(heads.compareAndSet(7, b(k), 0, b("v-" + k)).applied()).isTrue();
      }
      heads.compareAndSet(8, b("other"), 0, b("x"));
      CasResult conflict = heads.compareAndSet(7, b("a"), 0, b("again"));
      assertThat(conflict.applied()).isFalse();
      assertThat(conflict.current().orElseThrow().value()).isEqualTo(b("v-a"));
      assertThat(heads.compareAndSet(7, b("a"), 1, b("v2")).applied()).isTrue();

      List<String> keys = new ArrayList<>();
      for (VersionedRecord r : heads.range(7, new byte[0], null, 100)) {
        keys.add(new String(r.key(), StandardCharsets.UTF_8));
      }
      assertThat(keys).containsExactly("a", "b", "c/1", "c/2", "d", "\u00e9");
      assertThat(heads.range(7, b("c/"), b("c0"), 100)).hasSize(2);
      assertThat(heads.range(7, b("b"), b("d"), 2)).hasSize(2);
      assertThat(heads.range(7, b("b"), b("d"), 100)).hasSize(3);
    }
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      assertThat(grid.blocks().get(a)).isPresent();
      assertThat(grid.blocks().contains(a)).isTrue();
      BlockAddress other = BlockAddress.of(BlockType.CHUNK, b("never stored"));
      assertThat(grid.blocks().contains(other)).isFalse();
      assertThat(grid.table(Table.HEADS).get(7, b("a")).orElseThrow().version()).isEqualTo(2);
      assertThat(grid.table(Table.HEADS).range(7, new byte[0], null, 100)).hasSize(6);
    }
  }

  private static Path fileOf(Path dataDir, BlockAddress a) {
    String hex = a.toHex();
    return dataDir.resolve(IgniteGrid.BLOCK_FILES).resolve(hex.substring(2, 4)).resolve(hex);
  }

  @Test
  void chunksOfALoneNodeAreFilesThatMoveIntoTheCacheWhenANodeJoins() throws Exception {
    byte[] body = new byte[300_000];
    new java.util.Random(7).nextBytes(body);
    BlockAddress chunk;
    BlockAddress manifest;
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      chunk = grid.blocks().put(BlockType.CHUNK, body);
      manifest = grid.blocks().put(BlockType.MANIFEST, b("manifest"));
      assertThat(fileOf(dir, chunk)).exists();
      assertThat(fileOf(dir, manifest)).doesNotExist();
      assertThat(grid.blocks().count()).isEqualTo(2);
      // A manifest is served from the heap once read or written; a damaged copy on disk (which
      // the cache does not see) or a delete is what a reader meets next, never the kept bytes.
      assertThat(grid.blocks().get(manifest))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(b("manifest")));
      grid.overwriteBlockForTesting(manifest, b("rot"));
      assertThatThrownBy(() -> grid.blocks().get(manifest))
          .isInstanceOf(org.memos3.grid.GridException.class);
      grid.overwriteBlockForTesting(manifest, b("manifest"));
      assertThat(grid.blocks().get(manifest)).isPresent();
      grid.blocks().delete(manifest);
      assertThat(grid.blocks().get(manifest)).isEmpty();
      assertThat(grid.blocks().put(BlockType.MANIFEST, b("manifest"))).isEqualTo(manifest);
      grid.overwriteBlockForTesting(chunk, b("rot"));
      assertThatThrownBy(() -> grid.blocks().get(chunk))
          .isInstanceOfSatisfying(
              org.memos3.grid.GridException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(org.memos3.grid.GridException.Reason.CORRUPT_BLOCK));
      Files.write(fileOf(dir, chunk), body);
      // A damaged file of a chunk the cache also holds (a crash in the middle of a move): the
      // cache's copy is served and the file goes.
      byte[] other = b("other chunk");
      BlockAddress moved = grid.blocks().put(BlockType.CHUNK, other);
      grid.ignite().<BlockKey, byte[]>cache("blocks").put(new BlockKey(moved.bytes()), other);
      grid.overwriteBlockForTesting(moved, b("rot"));
      assertThat(grid.blocks().get(moved)).hasValueSatisfying(v -> assertThat(v).isEqualTo(other));
      assertThat(fileOf(dir, moved)).doesNotExist();
    }
    Path dir2 = Files.createTempDirectory("memo-s3-grid-test-2");
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid a = IgniteGrid.start(cfg, dd)) {
      assertThat(a.blocks().get(chunk)).hasValueSatisfying(v -> assertThat(v).isEqualTo(body));
      assertThat(a.readsLocal()).as("a lone server reads every record locally").isTrue();
      GridConfig cfg2 =
          GridConfig.forTests(dir2, LocalPorts.free(), LocalPorts.free())
              .withPeers(List.of("127.0.0.1:" + cfg.discoveryPort()));
      try (DataDirectory dd2 = DataDirectory.open(dir2);
          IgniteGrid b = IgniteGrid.start(cfg2, dd2)) {
        assertThat(a.readsLocal()).as("with two servers a record may be remote").isFalse();
        assertThat(b.readsLocal()).isFalse();
        // Still a file of the first node: the second reads it through the first.
        if (Files.exists(fileOf(dir, chunk))) {
          assertThat(b.blocks().contains(chunk)).isTrue();
        }
        assertThat(b.blocks().get(chunk)).hasValueSatisfying(v -> assertThat(v).isEqualTo(body));
        a.migrateBlockFiles();
        assertThat(fileOf(dir, chunk)).doesNotExist();
        assertThat(b.blocks().get(chunk)).hasValueSatisfying(v -> assertThat(v).isEqualTo(body));
        // With two server nodes a chunk goes to the replicated cache, not to a file.
        BlockAddress later = b.blocks().put(BlockType.CHUNK, b("later"));
        assertThat(fileOf(dir2, later)).doesNotExist();
        assertThat(a.blocks().get(later)).isPresent();
        b.blocks().delete(chunk);
        assertThat(a.blocks().contains(chunk)).isFalse();
      }
      // Alone again once the departure is seen (a graceful leave, normally at once).
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!a.readsLocal() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(a.readsLocal()).as("alone again").isTrue();
    } finally {
      try (Stream<Path> s = Files.walk(dir2)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void secondProcessOnTheSameDirectoryIsRefused() throws Exception {
    try (DataDirectory dd = DataDirectory.open(dir)) {
      assertThatThrownBy(() -> DataDirectory.open(dir))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void aGridCreatedWithAtomicCachesIsToldApart() throws Exception {
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      assertThat(grid.createdAtomic()).as("a fresh grid").isFalse();
    }
    Path old = dir.resolve("old");
    GridConfig oldCfg = GridConfig.forTests(old, LocalPorts.free(), LocalPorts.free());
    // A grid as memo-s3 created it before 2026-11-28: its blocks cache ATOMIC.
    try (DataDirectory dd = DataDirectory.open(old)) {
      IgniteNodeConfig.systemDefaults();
      IgniteNodeConfig.igniteHome(dd.root().resolve("ignite"));
      IgniteNodeConfig.checkLocalSettings(oldCfg, dd);
      try (Ignite ignite = Ignition.start(IgniteNodeConfig.server(oldCfg, dd, null))) {
        ignite.cluster().state(ClusterState.ACTIVE);
        ignite.getOrCreateCache(
            new CacheConfiguration<>(IgniteGrid.BLOCKS)
                .setAtomicityMode(CacheAtomicityMode.ATOMIC)
                .setBackups(1));
      }
    }
    try (DataDirectory dd = DataDirectory.open(old);
        IgniteGrid grid = IgniteGrid.start(oldCfg, dd)) {
      assertThat(grid.createdAtomic()).as("a grid whose caches were created ATOMIC").isTrue();
      // No transaction there: the CASes apply one by one, in order; the head's decides.
      assertThat(
              grid.compareAndSetAll(
                  List.of(new Cas(Table.HEADS, 1, b("x"), 0, b("x1")), casVersions("y", 0, "y1"))))
          .isTrue();
      assertThat(
              grid.compareAndSetAll(
                  List.of(new Cas(Table.HEADS, 1, b("x"), 1, b("x2")), casVersions("y", 7, null))))
          .as("the head applied; the row's failure is ignored, as before transactions")
          .isTrue();
      assertThat(grid.table(Table.HEADS).get(1, b("x")).orElseThrow().value()).isEqualTo(b("x2"));
      assertThat(
              grid.compareAndSetAll(
                  List.of(casVersions("z", 0, "z1"), new Cas(Table.HEADS, 1, b("x"), 9, b("x3")))))
          .as("the head's CAS fails")
          .isFalse();
      BlockAddress a = grid.blocks().put(BlockType.MANIFEST, b("still works"));
      assertThat(grid.blocks().get(a))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(b("still works")));
    }
  }

  @Test
  void concurrentCasWritersLoseNoUpdate() throws Exception {
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      RecordTable t = grid.table(Table.HEADS);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> fs = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        String writer = "w" + w;
        fs.add(
            pool.submit(
                () -> {
                  int wins = 0;
                  for (int i = 0; i < 50; i++) {
                    while (true) {
                      var cur = t.get(1, b("hot"));
                      long v = cur.map(VersionedRecord::version).orElse(0L);
                      CasResult r = t.compareAndSet(1, b("hot"), v, b(writer + "-" + (v + 1)));
                      if (r.applied()) {
                        wins++;
                        break;
                      }
                      assertThat(r.current().orElseThrow().version()).isGreaterThan(v);
                    }
                  }
                  return wins;
                }));
      }
      int total = 0;
      for (Future<Integer> f : fs) {
        total += f.get();
      }
      pool.shutdown();
      assertThat(total).isEqualTo(400);
      assertThat(t.get(1, b("hot")).orElseThrow().version()).isEqualTo(400);
    }
  }

  private static Cas casVersions(String key, long expected, String value) {
    return new Cas(Table.VERSIONS, 1, b(key), expected, value == null ? null : b(value));
  }

  /**
   * {@code compareAndSetAll} on a fresh grid is one transaction: all or nothing, a failed one
   * leaves every record as it was, and writers moving two records at once in opposite orders
   * neither deadlock nor lose an update.
   */
  @Test
  void compareAndSetAllAppliesAllOrNone() throws Exception {
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      RecordTable heads = grid.table(Table.HEADS);
      RecordTable versions = grid.table(Table.VERSIONS);
      assertThat(
              grid.compareAndSetAll(
                  List.of(casVersions("b", 0, "b1"), new Cas(Table.HEADS, 1, b("a"), 0, b("a1")))))
          .isTrue();
      assertThat(
              grid.compareAndSetAll(
                  List.of(new Cas(Table.HEADS, 1, b("a"), 1, b("a2")), casVersions("b", 5, null))))
          .as("the second CAS expects a version the record does not have")
          .isFalse();
      assertThat(heads.get(1, b("a")).orElseThrow().value()).isEqualTo(b("a1"));
      assertThat(versions.get(1, b("b")).orElseThrow().version()).isEqualTo(1);

      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<Integer>> fs = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        boolean reversed = w % 2 == 1;
        String writer = "w" + w;
        fs.add(
            pool.submit(
                () -> {
                  int wins = 0;
                  for (int i = 0; i < 40; i++) {
                    long va = heads.get(1, b("a")).orElseThrow().version();
                    long vb = versions.get(1, b("b")).orElseThrow().version();
                    Cas ca = new Cas(Table.HEADS, 1, b("a"), va, b(writer + va));
                    Cas cb = casVersions("b", vb, writer + vb);
                    if (grid.compareAndSetAll(reversed ? List.of(cb, ca) : List.of(ca, cb))) {
                      wins++;
                    }
                  }
                  return wins;
                }));
      }
      int total = 0;
      for (Future<Integer> f : fs) {
        total += f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(total).isPositive();
      // Both records moved together every time, and only then.
      assertThat(heads.get(1, b("a")).orElseThrow().version()).isEqualTo(1 + total);
      assertThat(versions.get(1, b("b")).orElseThrow().version()).isEqualTo(1 + total);

      assertThat(
              grid.compareAndSetAll(
                  List.of(
                      new Cas(Table.HEADS, 1, b("a"), 1 + total, null),
                      casVersions("b", 1 + total, null))))
          .isTrue();
      assertThat(heads.get(1, b("a"))).isEmpty();
      assertThat(versions.get(1, b("b"))).isEmpty();
    }
  }
}
