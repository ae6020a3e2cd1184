package org.memos3.grid.ignite;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import javax.cache.Cache;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.BlockType;

/** Immutable blocks in the {@code blocks} cache, verified against their address on every read. */
final class IgniteBlockStore implements BlockStore {
  private final IgniteCache<BlockKey, byte[]> cache;
  private final DiskGuard disk;

  IgniteBlockStore(IgniteCache<BlockKey, byte[]> cache, DiskGuard disk) {
    this.cache = cache;
    this.disk = disk;
  }

  @Override
  public BlockAddress put(BlockType type, byte[] stored) {
    disk.checkBlockWrite();
    BlockAddress address = BlockAddress.of(type, stored);
    BlockKey key = new BlockKey(address.bytes());
    try {
      if (!cache.putIfAbsent(key, stored)) {
        byte[] prior = cache.get(key);
        if (prior != null && !Arrays.equals(prior, stored)) {
          throw new GridException(
              GridException.Reason.CORRUPT_BLOCK, "different bytes stored at " + address);
        }
      }
      return address;
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  @Override
  public Optional<byte[]> get(BlockAddress address) {
    byte[] b;
    try {
      b = cache.get(new BlockKey(address.bytes()));
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    if (b == null) {
      return Optional.empty();
    }
    if (!address.matches(b)) {
      throw new GridException(
          GridException.Reason.CORRUPT_BLOCK, "block " + address + " fails its address check");
    }
    return Optional.of(b);
  }

  @Override
  public boolean contains(BlockAddress address) {
    try {
      return cache.containsKey(new BlockKey(address.bytes()));
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  @Override
  public void delete(BlockAddress address) {
    try {
      cache.remove(new BlockKey(address.bytes()));
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  @Override
  public long count() {
    try {
      return cache.sizeLong(CachePeekMode.PRIMARY);
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  @Override
  public void forEachAddress(Consumer<BlockAddress> visitor) {
    try (QueryCursor<byte[]> cur =
        cache.query(
            new ScanQuery<BlockKey, byte[]>(), (Cache.Entry<BlockKey, byte[]> e) -> e.getKey().a)) {
      for (byte[] a : cur) {
        visitor.accept(BlockAddress.fromBytes(a));
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }
}
