package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memos3.grid.GridException;
import org.memos3.grid.block.ArrayPool;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.Slice;

/** Chunk files on a real file system: write once, read, count, crash leftovers, links. */
class BlockFilesTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static BlockAddress chunk(byte[] bytes) {
    return BlockAddress.of(BlockType.CHUNK, bytes);
  }

  @Test
  void aBlockIsWrittenOnceReadBackCountedAndDeleted() throws Exception {
    BlockFiles f = BlockFiles.open(dir.resolve("blocks"), false, true);
    BlockAddress a = chunk(b("one"));
    f.write(a, b("one"));
    f.write(a, b("one"));
    assertThat(f.read(a)).isEqualTo(b("one"));
    assertThat(f.contains(a)).isTrue();
    assertThat(f.count()).isEqualTo(1);
    assertThat(f.bytes()).isEqualTo(3);
    String hex = a.toHex();
    assertThat(dir.resolve("blocks").resolve(hex.substring(2, 4)).resolve(hex)).exists();
    assertThatThrownBy(() -> f.write(a, b("two")))
        .isInstanceOfSatisfying(
            GridException.class,
            e -> assertThat(e.reason()).isEqualTo(GridException.Reason.CORRUPT_BLOCK));
    assertThat(f.delete(a)).isTrue();
    assertThat(f.delete(a)).isFalse();
    assertThat(f.read(a)).isNull();
    assertThat(f.count()).isZero();
    assertThat(f.bytes()).isZero();
  }

  @Test
  void aBlockOfSeveralWritePiecesIsStoredWhole() throws Exception {
    BlockFiles f = BlockFiles.open(dir.resolve("blocks"), false, true);
    for (int size :
        new int[] {
          BlockFiles.WRITE_PIECE - 1,
          BlockFiles.WRITE_PIECE,
          BlockFiles.WRITE_PIECE + 1,
          16 * BlockFiles.WRITE_PIECE + 28
        }) {
      byte[] bytes = new byte[size];
      new java.util.Random(size).nextBytes(bytes);
      BlockAddress a = chunk(bytes);
      f.write(a, bytes);
      assertThat(f.read(a)).as("size %d", size).isEqualTo(bytes);
    }
  }

  @Test
  void largeBlocksGoThroughDirectIoAndReadBackEitherWay() throws Exception {
    Path root = dir.resolve("blocks");
    BlockFiles f = BlockFiles.open(root, false, true);
    // The test directory is on the build machine's disk (ext4 here), which allows direct I/O.
    assertThat(f.direct()).isTrue();
    ArrayPool pool = new ArrayPool(2 << 20, 4);
    List<byte[]> all = new ArrayList<>();
    for (int size :
        new int[] {
          BlockFiles.DIRECT_MIN - 1,
          BlockFiles.DIRECT_MIN,
          BlockFiles.DIRECT_MIN + 1,
          (1 << 20) + 30,
          4 << 20,
          (4 << 20) + 4096 + 7
        }) {
      byte[] bytes = new byte[size];
      new java.util.Random(size).nextBytes(bytes);
      BlockAddress a = chunk(bytes);
      f.write(a, bytes);
      f.write(a, bytes);
      assertThat(f.read(a)).as("size %d", size).isEqualTo(bytes);
      Slice pooled = f.read(a, pool);
      assertThat(pooled.length()).isEqualTo(size);
      assertThat(Arrays.copyOf(pooled.array(), pooled.length())).isEqualTo(bytes);
      assertThat(pooled.pool()).isEqualTo(size >= BlockFiles.DIRECT_MIN ? pool : null);
      assertThat(pooled.array().length)
          .isEqualTo(
              size >= BlockFiles.DIRECT_MIN && size <= pool.capacity() ? pool.capacity() : size);
      pooled.release();
      assertThat(Files.size(root.resolve(a.toHex().substring(2, 4)).resolve(a.toHex())))
          .isEqualTo(size);
      all.add(bytes);
    }
    assertThat(temporaryFiles(root)).isEmpty();
    BlockFiles buffered = BlockFiles.open(root, false, false);
    assertThat(buffered.direct()).isFalse();
    for (byte[] bytes : all) {
      assertThat(buffered.read(chunk(bytes))).isEqualTo(bytes);
    }
    byte[] more = new byte[(1 << 20) + 30];
    new java.util.Random(7).nextBytes(more);
    buffered.write(chunk(more), more);
    assertThat(f.read(chunk(more))).isEqualTo(more);
    assertThat(f.count()).isEqualTo(6);
    assertThat(BlockFiles.open(root, true, true).bytes())
        .isEqualTo(all.stream().mapToLong(x -> x.length).sum() + more.length);
  }

  @Test
  void concurrentWritersOfOneAddressLeaveOneFileCountedOnce() throws Exception {
    BlockFiles f = BlockFiles.open(dir.resolve("blocks"), false, true);
    byte[] v = new byte[1 << 20];
    BlockAddress a = chunk(v);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fs.add(pool.submit(() -> f.write(a, v)));
      }
      for (java.util.concurrent.Future<?> x : fs) {
        x.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(f.count()).isEqualTo(1);
    assertThat(f.bytes()).isEqualTo(v.length);
    assertThat(temporaryFiles(dir.resolve("blocks"))).isEmpty();
  }

  @Test
  void moreDirectWritersThanBuffersAllFinish() throws Exception {
    BlockFiles f = BlockFiles.open(dir.resolve("blocks"), false, true);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(40);
    List<byte[]> all = new ArrayList<>();
    try {
      List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] v = new byte[BlockFiles.DIRECT_MIN + 4096 * (i % 5) + i];
        new java.util.Random(i).nextBytes(v);
        all.add(v);
        fs.add(pool.submit(() -> f.write(chunk(v), v)));
        fs.add(pool.submit(() -> f.read(chunk(v))));
      }
      for (java.util.concurrent.Future<?> x : fs) {
        x.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (byte[] v : all) {
      assertThat(f.read(chunk(v))).isEqualTo(v);
    }
    assertThat(f.count()).isEqualTo(200);
  }

  @Test
  void reopeningCountsTheFilesAndDropsTemporaryOnesLeftByACrash() throws Exception {
    Path root = dir.resolve("blocks");
    BlockFiles f = BlockFiles.open(root, true, true);
    List<BlockAddress> written = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] v = b("block " + i);
      written.add(chunk(v));
      f.write(chunk(v), v);
    }
    Files.write(root.resolve("tmp").resolve("3").resolve("1-99"), b("half a blo"));
    Files.write(root.resolve("tmp").resolve("1-98"), b("half a blo")); // the layout before 16 dirs
    Files.write(root.resolve("00").resolve("not-an-address"), b("x"));
    assertThat(temporaryFiles(root)).hasSize(2);

    BlockFiles again = BlockFiles.open(root, false, true);
    assertThat(again.count()).isEqualTo(50);
    assertThat(again.bytes()).isEqualTo(7 * 10 + 8 * 40);
    assertThat(temporaryFiles(root)).isEmpty();
    List<BlockAddress> seen = new ArrayList<>();
    again.forEach(seen::add);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void linkIntoCopiesEveryBlockOnceAndLinkTreeBringsThemBack() throws Exception {
    BlockFiles f = BlockFiles.open(dir.resolve("blocks"), false, true);
    BlockAddress a = chunk(b("a"));
    BlockAddress c = chunk(b("c"));
    f.write(a, b("a"));
    assertThat(f.linkInto(dir.resolve("snap"))).isEqualTo(1);
    f.write(c, b("c"));
    assertThat(f.linkInto(dir.resolve("snap"))).isEqualTo(1);

    assertThat(BlockFiles.linkTree(dir.resolve("snap"), dir.resolve("restored"))).isEqualTo(2);
    BlockFiles restored = BlockFiles.open(dir.resolve("restored"), false, true);
    assertThat(restored.count()).isEqualTo(2);
    assertThat(restored.read(c)).isEqualTo(b("c"));
  }

  /** The regular files under {@code root/tmp}, at any depth. */
  static List<Path> temporaryFiles(Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = Files.walk(root.resolve("tmp"))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
