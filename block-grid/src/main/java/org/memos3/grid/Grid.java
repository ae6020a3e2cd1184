package org.memos3.grid;

import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;

/**
 * The value store: immutable blocks plus CAS-updated record tables. Closing it stops the grid node
 * (flushing what Ignite needs to flush); implementations are thread-safe.
 */
public interface Grid extends AutoCloseable {
  BlockStore blocks();

  RecordTable table(Table table);

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
