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
import org.memos3.grid.block.ArrayPool;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.Slice;

/**
 * Immutable blocks, verified against their address on every read. Manifests and index blocks live
 * in the {@code blocks} cache. Chunks written while the grid is a lone node (one server, a baseline
 * of at most one) are files of that node ({@link BlockFiles}): written once, outside Ignite's WAL
 * and page memory. Once the grid has more server nodes, new chunks go to the cache (replicated by
 * Ignite) and {@link #migrateFiles} moves the files there; until then a read that finds a chunk
 * neither in this node's files nor in the cache asks the other server nodes for it.
 */
final class IgniteBlockStore implements BlockStore {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(IgniteBlockStore.class);

  /** Key of a server node's {@link BlockFiles} in its node-local map (for the remote jobs). */
  static final String FILES = "memo-s3.block-files";

  private final Ignite ignite;
  private final IgniteCache<BlockKey, byte[]> cache;
  private final DiskGuard disk;
  private final BlockFiles files;
  private final VerifiedBlockCache recent = VerifiedBlockCache.forHeap();

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

  /**
   * The local block files that may hold {@code address}: only chunks are ever files, so a manifest
   * or index block never costs a failed file open; null on a client node.
   */
  private BlockFiles filesFor(BlockAddress address) {
    return address.type() == BlockType.CHUNK ? files : null;
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
    BlockFiles local = filesFor(address);
    if (local != null && lone()) {
      local.write(address, stored);
      return address;
    }
    putInCache(address, stored);
    recent.put(address, stored);
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
    byte[] kept = recent.get(address);
    if (kept != null) {
      return Optional.of(kept);
    }
    BlockFiles localFiles = filesFor(address);
    byte[] local = localFiles == null ? null : localFiles.read(address);
    if (local != null && address.matches(local)) {
      return Optional.of(local);
    }
    Found other = elsewhere(address);
    byte[] b = other.bytes();
    if (b != null && address.matches(b)) {
      if (local != null) {
        // A damaged file of a chunk already moved into the cache (a crash between the move's put
        // and its delete): the cache copy is good, the file goes.
        localFiles.delete(address);
      }
      recent.put(address, b);
      return Optional.of(b);
    }
    if (local != null || b != null) {
      throw new GridException(
          GridException.Reason.CORRUPT_BLOCK, "block " + address + " fails its address check");
    }
    if (address.type() == BlockType.CHUNK && !(other.othersReady() && baselineUp())) {
      throw new GridException(
          GridException.Reason.UNAVAILABLE,
          "chunk "
              + address
              + " is not in the cache, and a node that may hold it as a file is"
              + " away or starting");
    }
    return Optional.empty();
  }

  /**
   * As {@link #get} without the address check (the caller's AES-GCM open checks the bytes): this
   * node's file, else the cache, else another node's file; absence is reported as {@link #get}
   * reports it.
   */
  @Override
  public Optional<byte[]> getUnchecked(BlockAddress address) {
    BlockFiles local = filesFor(address);
    byte[] b = local == null ? null : local.read(address);
    if (b == null) {
      b = elsewhere(address).bytes();
    }
    return b != null ? Optional.of(b) : get(address);
  }

  /** As {@link #getUnchecked}; this node's file is read into an array of {@code pool}. */
  @Override
  public Optional<Slice> readUnchecked(BlockAddress address, ArrayPool pool) {
    BlockFiles local = filesFor(address);
    Slice s = local == null ? null : local.read(address, pool);
    return s != null ? Optional.of(s) : getUnchecked(address).map(Slice::of);
  }

  /** The block's bytes from the cache, else (a chunk) from another node's files; unchecked. */
  private Found elsewhere(BlockAddress address) {
    byte[] b;
    try {
      b = cache.get(new BlockKey(address.bytes()));
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    if (b == null && address.type() == BlockType.CHUNK) {
      return askOthers(FileJob.Op.READ, address);
    }
    return new Found(b, true);
  }

  @Override
  public boolean contains(BlockAddress address) {
    BlockFiles local = filesFor(address);
    if (local != null && local.contains(address)) {
      return true;
    }
    try {
      if (cache.containsKey(new BlockKey(address.bytes()))) {
        return true;
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    return address.type() == BlockType.CHUNK
        && askOthers(FileJob.Op.CONTAINS, address).bytes() != null;
  }

  @Override
  public void delete(BlockAddress address) {
    recent.remove(address);
    BlockFiles local = filesFor(address);
    if (local != null) {
      local.delete(address);
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
  int migrateFiles(java.util.function.BooleanSupplier stopping) {
    if (files == null || lone()) {
      return 0;
    }
    int[] moved = {0};
    boolean[] full = {false};
    files.forEach(
        a -> {
          if (full[0] || stopping.getAsBoolean()) {
            return;
          }
          try {
            byte[] b = files.read(a);
            if (b == null) {
              return; // freed meanwhile
            }
            if (!a.matches(b)) {
              LOG.warn(
                  "block file {} fails its address check: left in place (scrub reports it)", a);
              return;
            }
            disk.checkBlockWrite(b.length);
            putInCache(a, b);
            files.delete(a);
            moved[0]++;
          } catch (GridException e) {
            if (e.reason() == GridException.Reason.NO_SPACE) {
              full[0] = true;
            }
            LOG.warn("cannot move block file {} into the cache yet: {}", a, e.getMessage());
          }
        });
    return moved[0];
  }

  /** Replaces a block's stored bytes without a check (fault injection for tests). */
  void overwriteForTesting(BlockAddress address, byte[] bytes) throws java.io.IOException {
    recent.remove(address);
    BlockFiles local = filesFor(address);
    if (local != null && local.contains(address)) {
      local.overwrite(address, bytes);
    } else {
      cache.put(new BlockKey(address.bytes()), bytes);
    }
  }

  /**
   * True when every baseline node is in the topology: with {@link Found#othersReady}, only then
   * does "in no file and not in the cache" mean absent.
   */
  private boolean baselineUp() {
    var cluster = ignite.cluster();
    Collection<BaselineNode> baseline = cluster.currentBaselineTopology();
    if (baseline == null) {
      return true;
    }
    java.util.Set<Object> up = new java.util.HashSet<>();
    for (var n : cluster.forServers().nodes()) {
      up.add(n.consistentId());
    }
    for (BaselineNode n : baseline) {
      if (!up.contains(n.consistentId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * What a lookup beyond this node's files found: the bytes (READ), an empty array for yes
   * (CONTAINS, DELETE), or null; {@code othersReady} false when another server node answered before
   * opening its block files (starting), so its files were not looked at.
   */
  private record Found(byte[] bytes, boolean othersReady) {}

  /**
   * Runs {@code op} on the block files of every other server node: the first answer with bytes
   * (READ) or a yes (CONTAINS, DELETE), and whether every node had its files open.
   */
  private Found askOthers(FileJob.Op op, BlockAddress address) {
    ClusterGroup others = ignite.cluster().forServers().forOthers(ignite.cluster().localNode());
    if (others.nodes().isEmpty()) {
      return new Found(null, true);
    }
    try {
      byte[] found = null;
      boolean allReady = true;
      for (FileJob.Answer r : ignite.compute(others).broadcast(new FileJob(op, address.bytes()))) {
        if (r == null) {
          continue;
        }
        if (!r.ready()) {
          allReady = false;
        } else if (r.bytes() != null && found == null) {
          found = r.bytes();
        }
      }
      return new Found(found, allReady);
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  /** A read, presence check or delete of one block file on the node it runs on. */
  static final class FileJob implements IgniteCallable<FileJob.Answer> {
    private static final long serialVersionUID = 1L;
    private static final byte[] YES = new byte[0];

    enum Op {
      READ,
      CONTAINS,
      DELETE
    }

    /**
     * What a node answered: {@code ready} false while it has not opened its block files (starting),
     * {@code bytes} the file (READ), an empty array for yes (CONTAINS, DELETE), or null.
     */
    static final class Answer implements java.io.Serializable {
      private static final long serialVersionUID = 1L;
      // Not a record: Ignite's binary marshaller cannot write record fields.
      private boolean ready;
      private byte[] bytes;

      Answer(boolean ready, byte[] bytes) {
        this.ready = ready;
        this.bytes = bytes;
      }

      boolean ready() {
        return ready;
      }

      byte[] bytes() {
        return bytes;
      }
    }

    private final Op op;
    private final byte[] address;
    @IgniteInstanceResource private transient Ignite local;

    FileJob(Op op, byte[] address) {
      this.op = op;
      this.address = address;
    }

    @Override
    public Answer call() {
      BlockFiles files = (BlockFiles) local.cluster().nodeLocalMap().get(FILES);
      if (files == null) {
        return new Answer(local.configuration().isClientMode() == Boolean.TRUE, null);
      }
      BlockAddress a = BlockAddress.fromBytes(address);
      return new Answer(
          true,
          switch (op) {
            case READ -> files.read(a);
            case CONTAINS -> files.contains(a) ? YES : null;
            case DELETE -> files.delete(a) ? YES : null;
          });
    }
  }
}
