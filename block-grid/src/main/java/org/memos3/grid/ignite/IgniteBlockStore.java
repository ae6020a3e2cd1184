package org.memos3.grid.ignite;

import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.BlockType;

/**
 * Immutable blocks, verified against their address on every read. Manifests and index blocks live
 * in the {@code blocks} cache. Chunks written while the grid is a lone node (one server, a baseline
 * of at most one) are files of that node ({@link BlockFiles}): written once, outside Ignite's WAL
 * and page memory. Once the grid has more server nodes, new chunks go to the cache (replicated by
 * Ignite) and {@link #migrateFiles} moves the files there; until then a read that finds a chunk
 * neither in this node's files nor in the cache asks the other server nodes for it.
 */
final class IgniteBlockStore implements BlockStore {
  /** Key of a server node's {@link BlockFiles} in its node-local map (for the remote jobs). */
  static final String FILES = "memo-s3.block-files";

  private final Ignite ignite;
  private final IgniteCache<BlockKey, byte[]> cache;
  private final DiskGuard disk;
  private final BlockFiles files;

  /**
   * @param files this server node's block files; null on a client node (it stores nothing)
   */
  IgniteBlockStore(
      Ignite ignite, IgniteCache<BlockKey, byte[]> cache, DiskGuard disk, BlockFiles files) {
    this.ignite = ignite;
    this.cache = cache;
    this.disk = disk;
    this.files = files;
    if (files != null) {
      ignite.cluster().nodeLocalMap().put(FILES, files);
    }
  }

  /** This node's block files; null on a client node. */
  BlockFiles files() {
    return files;
  }

  /** True while this node is the whole grid: one server node, a baseline of at most one. */
  private boolean lone() {
    if (ignite.cluster().forServers().nodes().size() != 1) {
      return false;
    }
    Collection<BaselineNode> b = ignite.cluster().currentBaselineTopology();
    return b == null || b.size() <= 1;
  }

  @Override
  public BlockAddress put(BlockType type, byte[] stored) {
    disk.checkBlockWrite(stored.length);
    BlockAddress address = BlockAddress.of(type, stored);
    if (files != null && type == BlockType.CHUNK && lone()) {
      files.write(address, stored);
      return address;
    }
    putInCache(address, stored);
    return address;
  }

  private void putInCache(BlockAddress address, byte[] stored) {
    BlockKey key = new BlockKey(address.bytes());
    try {
      if (!cache.putIfAbsent(key, stored)) {
        byte[] prior = cache.get(key);
        if (prior != null && !Arrays.equals(prior, stored)) {
          throw new GridException(
              GridException.Reason.CORRUPT_BLOCK, "different bytes stored at " + address);
        }
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  @Override
  public Optional<byte[]> get(BlockAddress address) {
    byte[] b = files == null ? null : files.read(address);
    if (b == null) {
      try {
        b = cache.get(new BlockKey(address.bytes()));
      } catch (RuntimeException e) {
        throw IgniteErrors.translate(e);
      }
    }
    if (b == null && address.type() == BlockType.CHUNK) {
      b = askOthers(FileJob.Op.READ, address);
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
    if (files != null && files.contains(address)) {
      return true;
    }
    try {
      if (cache.containsKey(new BlockKey(address.bytes()))) {
        return true;
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    return address.type() == BlockType.CHUNK && askOthers(FileJob.Op.CONTAINS, address) != null;
  }

  @Override
  public void delete(BlockAddress address) {
    if (files != null) {
      files.delete(address);
    }
    try {
      cache.remove(new BlockKey(address.bytes()));
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    if (address.type() == BlockType.CHUNK) {
      askOthers(FileJob.Op.DELETE, address);
    }
  }

  @Override
  public long count() {
    try {
      return cache.sizeLong(CachePeekMode.PRIMARY) + (files == null ? 0 : files.count());
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  /** Visits the cache's blocks, then this node's block files. */
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
    if (files != null) {
      files.forEach(visitor);
    }
  }

  /**
   * Moves this node's block files into the cache once the grid has other server nodes (so Ignite
   * replicates them): each file is checked against its address, put, then deleted. A file that
   * fails its check stays (scrub reports it). Returns the number moved.
   */
  int migrateFiles() {
    if (files == null || files.count() == 0 || lone()) {
      return 0;
    }
    int[] moved = {0};
    files.forEach(
        a -> {
          byte[] b = files.read(a);
          if (b == null || !a.matches(b)) {
            return;
          }
          putInCache(a, b);
          files.delete(a);
          moved[0]++;
        });
    return moved[0];
  }

  /** Replaces a block's stored bytes without a check (fault injection for tests). */
  void overwriteForTesting(BlockAddress address, byte[] bytes) throws java.io.IOException {
    if (files != null && files.contains(address)) {
      files.overwrite(address, bytes);
    } else {
      cache.put(new BlockKey(address.bytes()), bytes);
    }
  }

  /**
   * Runs {@code op} on the block files of every other server node; the first non-null answer, or
   * null (also when there is no other server node).
   */
  private byte[] askOthers(FileJob.Op op, BlockAddress address) {
    ClusterGroup others = ignite.cluster().forServers().forOthers(ignite.cluster().localNode());
    if (others.nodes().isEmpty()) {
      return null;
    }
    try {
      for (byte[] r : ignite.compute(others).broadcast(new FileJob(op, address.bytes()))) {
        if (r != null) {
          return r;
        }
      }
      return null;
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  /** A read, presence check or delete of one block file on the node it runs on. */
  static final class FileJob implements IgniteCallable<byte[]> {
    private static final long serialVersionUID = 1L;
    private static final byte[] YES = new byte[0];

    enum Op {
      READ,
      CONTAINS,
      DELETE
    }

    private final Op op;
    private final byte[] address;
    @IgniteInstanceResource private transient Ignite local;

    FileJob(Op op, byte[] address) {
      this.op = op;
      this.address = address;
    }

    @Override
    public byte[] call() {
      BlockFiles files = (BlockFiles) local.cluster().nodeLocalMap().get(FILES);
      if (files == null) {
        return null;
      }
      BlockAddress a = BlockAddress.fromBytes(address);
      return switch (op) {
        case READ -> files.read(a);
        case CONTAINS -> files.contains(a) ? YES : null;
        case DELETE -> files.delete(a) ? YES : null;
      };
    }
  }
}
