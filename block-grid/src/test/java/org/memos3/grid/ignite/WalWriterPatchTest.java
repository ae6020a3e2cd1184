package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.ignite.internal.IgniteVersionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memos3.grid.DataDirectory;
import org.memos3.grid.GridConfig;
import org.memos3.grid.LocalPorts;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;

/**
 * The patched WAL writer: it is the one loaded, it was copied from the Ignite in use, and many
 * threads committing at once through it, with the WAL memory-mapped (the default) or through its
 * buffer (writing the buffer themselves or waiting for the writer thread), across many WAL segment
 * switches, all return, a lost wake-up would hang them, with every record in place after a restart.
 */
class WalWriterPatchTest {
  @TempDir Path dir;

  @Test
  void thePatchedWriterIsLoaded() {
    assertThat(IgniteVersionUtils.VER_STR)
        .as("upgrading Ignite: re-apply the patch of FileHandleManagerImpl, then update this")
        .isEqualTo(WalWriterPatch.IGNITE_VERSION);
    assertThat(WalWriterPatch.active()).isTrue();
  }

  @Test
  void theWalIsMemoryMappedByDefault() {
    IgniteNodeConfig.systemDefaults();
    assertThat(System.getProperty("IGNITE_WAL_MMAP")).isEqualTo("true");
  }

  @ParameterizedTest(name = "IGNITE_WAL_MMAP={0}")
  @ValueSource(strings = {"true", "false"})
  @Timeout(300)
  void concurrentCommitsAllReturnAndSurviveARestart(String mmap) throws Exception {
    String before = System.setProperty("IGNITE_WAL_MMAP", mmap);
    try {
      commitConcurrentlyThenRestart();
    } finally {
      if (before == null) {
        System.clearProperty("IGNITE_WAL_MMAP");
      } else {
        System.setProperty("IGNITE_WAL_MMAP", before);
      }
    }
  }

  private void commitConcurrentlyThenRestart() throws Exception {
    GridConfig cfg = GridConfig.forTests(dir, LocalPorts.free(), LocalPorts.free());
    int threads = 16;
    // 16 x 300 records of 6 KiB: about 30 MiB of WAL, several switches of the tests' 8 MiB
    // segments.
    int perThread = 300;
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      RecordTable t = grid.table(Table.HEADS);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
          int writer = w;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      byte[] k = key(writer, i);
                      assertThat(t.compareAndSet(1, k, 0, value(k)).applied()).isTrue();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }
    try (DataDirectory dd = DataDirectory.open(dir);
        IgniteGrid grid = IgniteGrid.start(cfg, dd)) {
      RecordTable t = grid.table(Table.HEADS);
      for (int w = 0; w < threads; w++) {
        for (int i = 0; i < perThread; i++) {
          byte[] k = key(w, i);
          assertThat(t.get(1, k))
              .hasValueSatisfying(r -> assertThat(r.value()).isEqualTo(value(k)));
        }
      }
    }
  }

  /** 6 KiB: the key, then bytes that depend on it. */
  private static byte[] value(byte[] key) {
    byte[] v = new byte[6 * 1024];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) (key[i % key.length] * 31 + i);
    }
    return v;
  }

  private static byte[] key(int writer, int i) {
    return ByteBuffer.allocate(8).putInt(writer).putInt(i).array();
  }
}
