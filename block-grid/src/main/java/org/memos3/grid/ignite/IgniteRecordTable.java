package org.memos3.grid.ignite;

import static org.apache.ignite.cache.query.IndexQueryCriteriaBuilder.between;
import static org.apache.ignite.cache.query.IndexQueryCriteriaBuilder.eq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.cache.Cache;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cache.query.IndexQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.VersionedRecord;

/**
 * A record table on one Ignite cache: CAS through an entry processor, ranges through an IndexQuery
 * on the sorted (group, key) index, always with both bounds on the key (Ignite merges cluster
 * results by the criteria fields, and an unbounded seek is slow).
 */
final class IgniteRecordTable implements RecordTable {
  /** Above every key: keys are at most a few KiB and never start with 0xFF 0xFF... this long. */
  private static final byte[] END = filled(2);

  private final IgniteCache<RowKey, Row> cache;
  private final String index;

  private final DiskGuard disk;

  IgniteRecordTable(IgniteCache<RowKey, Row> cache, String index, DiskGuard disk) {
    this.cache = cache;
    this.index = index;
    this.disk = disk;
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 0xFF);
    return b;
  }

  @Override
  public Optional<VersionedRecord> get(long group, byte[] key) {
    try {
      return Optional.ofNullable(cache.get(new RowKey(group, key)))
          .map(IgniteRecordTable::toRecord);
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  @Override
  public CasResult compareAndSet(long group, byte[] key, long expectedVersion, byte[] value) {
    if (value != null) {
      disk.checkRecordWrite();
    }
    Row next = value == null ? null : new Row(group, key, expectedVersion + 1, value);
    CasProcessor.Reply r;
    try {
      r = cache.invoke(new RowKey(group, key), new CasProcessor(expectedVersion, next));
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    Optional<VersionedRecord> cur = Optional.ofNullable(r.current).map(IgniteRecordTable::toRecord);
    return r.ok ? CasResult.success(cur.orElse(null)) : CasResult.conflict(cur);
  }

  @Override
  public List<VersionedRecord> range(
      long group, byte[] fromInclusive, byte[] toExclusive, int limit) {
    byte[] hi = toExclusive == null ? END : toExclusive;
    if (Arrays.compareUnsigned(fromInclusive, hi) >= 0 || limit <= 0) {
      return List.of();
    }
    IndexQuery<RowKey, Row> q =
        new IndexQuery<RowKey, Row>(Row.class, index)
            .setCriteria(eq("g", group), between("k", fromInclusive, hi))
            .setLimit(limit + 1);
    // The page size bounds what the index cursor reads per round trip: without it a query for a
    // handful of rows reads a default page of 1,024 rows.
    q.setPageSize(Math.min(limit + 1, 1024));
    List<VersionedRecord> out = new ArrayList<>();
    if (!cache.lostPartitions().isEmpty()) {
      // An index query would silently skip the lost partitions: never answer a short listing.
      throw new org.memos3.grid.GridException(
          org.memos3.grid.GridException.Reason.UNAVAILABLE,
          "partitions of " + cache.getName() + " are lost: range refused");
    }
    try (QueryCursor<Cache.Entry<RowKey, Row>> cur = cache.query(q)) {
      for (Cache.Entry<RowKey, Row> e : cur) {
        Row r = e.getValue();
        if (Arrays.equals(r.k, hi)) {
          continue;
        }
        out.add(toRecord(r));
        if (out.size() >= limit) {
          break;
        }
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    return out;
  }

  @Override
  public long size() {
    try {
      return cache.sizeLong(CachePeekMode.PRIMARY);
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
  }

  private static VersionedRecord toRecord(Row r) {
    return new VersionedRecord(r.g, r.k, r.v, r.d);
  }
}
