package org.memos3.grid;

import java.util.List;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;

/**
 * The value store: immutable blocks plus CAS-updated record tables. Closing it stops the grid node
 * (flushing what Ignite needs to flush); implementations are thread-safe.
 */
public interface Grid extends AutoCloseable {
  BlockStore blocks();

  RecordTable table(Table table);

  /**
   * Applies every compare-and-set of {@code ops} or none of them: true when all applied. What
   * changes more than one record at once (a version promoted to the head while its row leaves the
   * version log) goes through here, so that no concurrent writer sees, or acts on, half of it. A
   * grid whose tables cannot take part in a transaction (Ignite caches created ATOMIC, before
   * memo-s3 made them TRANSACTIONAL) applies them one by one in the given order, as memo-s3 did
   * before, and answers for the CAS of the HEADS table among them (or the first): not atomic, so
   * callers order them as they were ordered then.
   */
  boolean compareAndSetAll(List<Cas> ops);

  /** True while the grid accepts reads and writes (cluster active, no lost partitions). */
  boolean ready();

  /**
   * True when the grid is ready and no partition is moving between nodes (rebalancing): the GC
   * sweep runs only then, since a block absent during a move is not garbage.
   */
  default boolean settled() {
    return ready();
  }

  @Override
  void close();
}
