package org.memos3.grid.ignite;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.memos3.grid.GridException;

/**
 * Refuses writes while the data directory's file system is nearly full, before Ignite runs out of
 * space in the middle of a checkpoint (which stops the node: reads would fail too). The reserve
 * covers a checkpoint of the whole data region plus a few WAL segments. Free space is sampled at
 * most once a second. Deletes are never refused: they are how space comes back.
 */
final class DiskGuard {
  private static final long SAMPLE_NANOS = 1_000_000_000L;

  private final FileStore store;
  private final long reserve;
  private volatile long free = Long.MAX_VALUE;

  /**
   * Block bytes accepted since the last sample, taken off the sampled free space: chunk files are
   * written at disk speed, and a second of writes must not overshoot the reserve.
   */
  private final java.util.concurrent.atomic.AtomicLong sinceSample =
      new java.util.concurrent.atomic.AtomicLong();

  private volatile long sampledAt;

  DiskGuard(Path dataDir, long reserveBytes) throws IOException {
    this.store = Files.getFileStore(dataDir);
    this.reserve = reserveBytes;
  }

  private DiskGuard() {
    this.store = null;
    this.reserve = 0;
  }

  /**
   * No guard: for a client node, which stores nothing itself (the server nodes refuse what their
   * disks cannot take).
   */
  static DiskGuard none() {
    return new DiskGuard();
  }

  private long free() {
    if (store == null) {
      return Long.MAX_VALUE;
    }
    long now = System.nanoTime();
    if (now - sampledAt > SAMPLE_NANOS) {
      try {
        free = store.getUsableSpace();
      } catch (IOException e) {
        free = Long.MAX_VALUE; // cannot tell: let Ignite decide
      }
      sampledAt = now;
      sinceSample.set(0);
    }
    return free - sinceSample.get();
  }

  /** Before a block write of {@code bytes}: the whole reserve must stay free. */
  void checkBlockWrite(long bytes) {
    if (free() - bytes < reserve) {
      throw new GridException(
          GridException.Reason.NO_SPACE,
          "the data directory's file system is nearly full ("
              + Math.max(0, free()) / (1024 * 1024)
              + " MiB free, "
              + reserve / (1024 * 1024)
              + " MiB kept for checkpoints)");
    }
    if (store != null) {
      sinceSample.addAndGet(bytes);
    }
  }

  /** Before a small record write: half the reserve must stay free. */
  void checkRecordWrite() {
    if (free() < reserve / 2) {
      throw new GridException(
          GridException.Reason.NO_SPACE, "the data directory's file system is nearly full");
    }
  }

  long reserve() {
    return reserve;
  }
}
