package org.memos3.grid.block;

import java.util.Optional;

/**
 * The value store of immutable, content-addressed blocks. Implementations verify every block
 * against its address before returning it. All methods block the calling thread on grid I/O and
 * must not be called from an event loop; all may be retried.
 */
public interface BlockStore {

  /**
   * Stores {@code stored} at its address ({@link BlockAddress#of}) with put-if-absent semantics. A
   * re-put of equal bytes is a success; different bytes under the same address raise {@code
   * CORRUPT_BLOCK}.
   */
  BlockAddress put(BlockType type, byte[] stored);

  /**
   * Returns the block's bytes after checking them against the address; {@code CORRUPT_BLOCK} on a
   * mismatch, empty when absent.
   */
  Optional<byte[]> get(BlockAddress address);

  /**
   * The block's bytes without the address check, for a caller that authenticates them itself (an
   * AES-GCM open with the block's associated data) and calls {@link #get} when that fails, so that
   * a damaged block is still reported by its address. Empty when absent.
   */
  default Optional<byte[]> getUnchecked(BlockAddress address) {
    return get(address);
  }

  /**
   * As {@link #getUnchecked}, into an array of {@code pool} where the implementation copies the
   * bytes anyway (a file read, an in-memory map); the caller releases the slice when done with it.
   */
  default Optional<Slice> readUnchecked(BlockAddress address, ArrayPool pool) {
    return getUnchecked(address).map(Slice::of);
  }

  /** True when a block is stored at {@code address} (its bytes are neither read nor checked). */
  boolean contains(BlockAddress address);

  /** Deletes a block; absent blocks are ignored. Only garbage collection calls this. */
  void delete(BlockAddress address);

  /** Number of blocks stored (for GC checks and metrics). */
  long count();

  /** Visits every stored address (for the GC sweep and scrub). */
  void forEachAddress(java.util.function.Consumer<BlockAddress> visitor);
}
