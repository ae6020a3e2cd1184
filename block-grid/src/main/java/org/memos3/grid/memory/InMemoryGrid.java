package org.memos3.grid.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.memos3.grid.Grid;
import org.memos3.grid.GridException;
import org.memos3.grid.block.ArrayPool;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Slice;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;

/** A {@link Grid} in maps, for fast unit tests and the benchmark's in-memory ceiling. */
public final class InMemoryGrid implements Grid {
  private final MemoryBlocks blocks = new MemoryBlocks();
  private final Map<Table, MemoryTable> tables = new EnumMap<>(Table.class);

  public InMemoryGrid() {
    for (Table t : Table.values()) {
      tables.put(t, new MemoryTable());
    }
  }

  @Override
  public BlockStore blocks() {
    return blocks;
  }

  @Override
  public RecordTable table(Table table) {
    return tables.get(table);
  }

  /** Atomic by holding the monitors of the tables involved, in table order (no deadlock). */
  @Override
  public boolean compareAndSetAll(List<Cas> ops) {
    EnumSet<Table> involved = EnumSet.noneOf(Table.class);
    ops.forEach(c -> involved.add(c.table()));
    return applyLocked(involved.iterator(), ops);
  }

  private boolean applyLocked(Iterator<Table> toLock, List<Cas> ops) {
    if (toLock.hasNext()) {
      synchronized (tables.get(toLock.next())) {
        return applyLocked(toLock, ops);
      }
    }
    for (Cas c : ops) {
      long current =
          tables.get(c.table()).get(c.group(), c.key()).map(VersionedRecord::version).orElse(0L);
      if (current != c.expectedVersion()) {
        return false;
      }
    }
    for (Cas c : ops) {
      tables.get(c.table()).compareAndSet(c.group(), c.key(), c.expectedVersion(), c.value());
    }
    return true;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public void close() {}

  /** Test hook: overwrites the stored bytes of a block (to simulate corruption at rest). */
  public void corrupt(BlockAddress address, byte[] bytes) {
    blocks.map.put(address, bytes);
  }

  private static final class MemoryBlocks implements BlockStore {
    final ConcurrentHashMap<BlockAddress, byte[]> map = new ConcurrentHashMap<>();

    @Override
    public BlockAddress put(BlockType type, byte[] stored) {
      BlockAddress address = BlockAddress.of(type, stored);
      byte[] prior = map.putIfAbsent(address, stored.clone());
      if (prior != null && !Arrays.equals(prior, stored)) {
        throw new GridException(
            GridException.Reason.CORRUPT_BLOCK, "different bytes stored at " + address);
      }
      return address;
    }

    @Override
    public Optional<byte[]> getUnchecked(BlockAddress address) {
      byte[] b = map.get(address);
      return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    @Override
    public Optional<Slice> readUnchecked(BlockAddress address, ArrayPool pool) {
      byte[] b = map.get(address);
      if (b == null) {
        return Optional.empty();
      }
      byte[] out = pool.take(b.length);
      System.arraycopy(b, 0, out, 0, b.length);
      return Optional.of(new Slice(out, b.length, pool));
    }

    @Override
    public Optional<byte[]> get(BlockAddress address) {
      byte[] b = map.get(address);
      if (b == null) {
        return Optional.empty();
      }
      if (!address.matches(b)) {
        throw new GridException(
            GridException.Reason.CORRUPT_BLOCK, "block " + address + " fails its address check");
      }
      return Optional.of(b.clone());
    }

    @Override
    public boolean contains(BlockAddress address) {
      return map.containsKey(address);
    }

    @Override
    public void delete(BlockAddress address) {
      map.remove(address);
    }

    @Override
    public long count() {
      return map.size();
    }

    @Override
    public void forEachAddress(Consumer<BlockAddress> visitor) {
      map.keySet().forEach(visitor);
    }
  }

  private static final class MemoryTable implements RecordTable {
    private final ConcurrentHashMap<Long, ConcurrentSkipListMap<byte[], VersionedRecord>> groups =
        new ConcurrentHashMap<>();

    private ConcurrentSkipListMap<byte[], VersionedRecord> group(long g) {
      return groups.computeIfAbsent(g, x -> new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }

    @Override
    public Optional<VersionedRecord> get(long group, byte[] key) {
      return Optional.ofNullable(group(group).get(key));
    }

    @Override
    public synchronized CasResult compareAndSet(
        long group, byte[] key, long expectedVersion, byte[] value) {
      ConcurrentSkipListMap<byte[], VersionedRecord> m = group(group);
      VersionedRecord cur = m.get(key);
      long curVersion = cur == null ? 0 : cur.version();
      if (curVersion != expectedVersion) {
        return CasResult.conflict(Optional.ofNullable(cur));
      }
      if (value == null) {
        m.remove(key);
        return CasResult.success(null);
      }
      VersionedRecord next =
          new VersionedRecord(group, key.clone(), expectedVersion + 1, value.clone());
      m.put(next.key(), next);
      return CasResult.success(next);
    }

    @Override
    public List<VersionedRecord> range(
        long group, byte[] fromInclusive, byte[] toExclusive, int limit) {
      ConcurrentSkipListMap<byte[], VersionedRecord> m = group(group);
      if (toExclusive != null && Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
        return List.of();
      }
      var view =
          toExclusive == null
              ? m.tailMap(fromInclusive, true)
              : m.subMap(fromInclusive, toExclusive);
      List<VersionedRecord> out = new ArrayList<>();
      for (VersionedRecord r : view.values()) {
        if (out.size() >= limit) {
          break;
        }
        out.add(r);
      }
      return out;
    }

    @Override
    public long size() {
      return groups.values().stream().mapToLong(Map::size).sum();
    }
  }
}
