package org.memos3.grid.ignite;

import java.util.LinkedHashMap;
import java.util.Map;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;

/**
 * The most recently used manifests and index blocks, on the heap, bounded by their bytes. Only
 * bytes that passed their address check (or that this node just stored under their address) get in,
 * and a block never changes under its address, so a hit needs no other check and no grid read: an
 * Ignite get costs a B+tree descent in page memory and a copy, about a fifth of a small GET's
 * server CPU. A deleted block leaves this node's cache with the delete (on other nodes it lingers
 * until evicted, harmlessly: only blocks nothing refers to are deleted). Chunks never enter: they
 * are large, read once per GET, and their AES-GCM tag checks them. Thread-safe.
 */
final class VerifiedBlockCache {
  /** Blocks above this size are not kept (a large multipart manifest). */
  static final int MAX_BLOCK = 64 * 1024;

  private final long capacity;
  private long bytes;
  private final LinkedHashMap<BlockAddress, byte[]> blocks = new LinkedHashMap<>(256, 0.75f, true);

  /** A cache holding at most {@code capacity} bytes of blocks; 0 keeps nothing. */
  VerifiedBlockCache(long capacity) {
    this.capacity = capacity;
  }

  /** The capacity for this JVM: 1/32 of the maximum heap (32 MiB with -Xmx1g). */
  static VerifiedBlockCache forHeap() {
    return new VerifiedBlockCache(Runtime.getRuntime().maxMemory() / 32);
  }

  /** Chunks never enter (see the class comment); everything else may. */
  private static boolean kept(BlockAddress address) {
    return address.type() != BlockType.CHUNK;
  }

  /** A copy of the block's bytes, or null; callers own what they get, as with a grid read. */
  byte[] get(BlockAddress address) {
    if (!kept(address)) {
      return null;
    }
    byte[] b;
    synchronized (this) {
      b = blocks.get(address);
    }
    return b == null ? null : b.clone();
  }

  /**
   * Keeps {@code verified} (not a chunk), which must be the block's bytes (checked, or just
   * stored).
   */
  void put(BlockAddress address, byte[] verified) {
    if (!kept(address) || verified.length > MAX_BLOCK || verified.length > capacity) {
      return;
    }
    byte[] mine = verified.clone();
    synchronized (this) {
      byte[] prior = blocks.put(address, mine);
      bytes += mine.length - (prior == null ? 0 : prior.length);
      var it = blocks.entrySet().iterator();
      while (bytes > capacity && it.hasNext()) {
        Map.Entry<BlockAddress, byte[]> eldest = it.next();
        bytes -= eldest.getValue().length;
        it.remove();
      }
    }
  }

  synchronized void remove(BlockAddress address) {
    byte[] prior = blocks.remove(address);
    if (prior != null) {
      bytes -= prior.length;
    }
  }

  synchronized long bytes() {
    return bytes;
  }
}
