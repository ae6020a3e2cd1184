package org.memos3.grid.ignite;

import static org.apache.ignite.cache.query.IndexQueryCriteriaBuilder.between;
import static org.apache.ignite.cache.query.IndexQueryCriteriaBuilder.eq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.GridKernalContext;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.cache.query.index.IndexQueryResult;
import org.apache.ignite.internal.processors.affinity.AffinityTopologyVersion;
import org.apache.ignite.internal.processors.cache.GridCacheAffinityManager;
import org.apache.ignite.internal.processors.cache.query.IndexQueryDesc;
import org.apache.ignite.internal.util.lang.GridCloseableIterator;
import org.apache.ignite.lang.IgniteBiTuple;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.spi.indexing.IndexingQueryFilter;
import org.apache.ignite.spi.indexing.IndexingQueryFilterImpl;
import org.memos3.grid.GridException;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.VersionedRecord;

/**
 * A record table on one Ignite cache: CAS through an entry processor, ranges read lazily from the
 * sorted (group, key) index of every server node (see {@link LocalRange}).
 */
final class IgniteRecordTable implements RecordTable {
  /** Above every key: keys are at most a few KiB and never start with 0xFF 0xFF... this long. */
  private static final byte[] END = filled(2);

  private final Ignite ignite;
  private final IgniteCache<RowKey, Row> cache;
  private final String index;

  private final DiskGuard disk;

  IgniteRecordTable(Ignite ignite, IgniteCache<RowKey, Row> cache, String index, DiskGuard disk) {
    this.ignite = ignite;
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

  /**
   * The compare-and-set of {@link #compareAndSet} inside the caller's transaction: the key stays
   * locked until it ends. True when it applied; Ignite's exceptions are the caller's to translate.
   */
  boolean compareAndSetInTransaction(long group, byte[] key, long expectedVersion, byte[] value) {
    if (value != null) {
      disk.checkRecordWrite();
    }
    Row next = value == null ? null : new Row(group, key, expectedVersion + 1, value);
    return cache.invoke(new RowKey(group, key), new CasProcessor(expectedVersion, next)).ok;
  }

  @Override
  public List<VersionedRecord> range(
      long group, byte[] fromInclusive, byte[] toExclusive, int limit) {
    byte[] hi = toExclusive == null ? END : toExclusive;
    if (Arrays.compareUnsigned(fromInclusive, hi) >= 0 || limit <= 0) {
      return List.of();
    }
    if (!cache.lostPartitions().isEmpty()) {
      // A range would silently skip the lost partitions: never answer a short listing.
      throw new GridException(
          GridException.Reason.UNAVAILABLE,
          "partitions of " + cache.getName() + " are lost: range refused");
    }
    List<Row> rows;
    try {
      // The nodes that are primary for some partition at one affinity version, and each of them
      // reads its primary partitions at that same version. Only owners: a node still starting or
      // rebalancing is primary for nothing (Ignite switches primaries once partitions are
      // owned), and an index it has not opened yet must not be read (a query there failed the
      // node with CorruptedTreeException in a 3-node torture run).
      GridCacheAffinityManager aff =
          ((IgniteEx) ignite).context().cache().internalCache(cache.getName()).context().affinity();
      AffinityTopologyVersion topVer = aff.affinityTopologyVersion();
      Set<UUID> owners = new HashSet<>();
      for (int p = 0; p < aff.partitions(); p++) {
        ClusterNode n = aff.primaryByPartition(p, topVer);
        if (n != null) {
          owners.add(n.id());
        }
      }
      LocalRange job =
          new LocalRange(
              cache.getName(),
              index,
              group,
              fromInclusive,
              hi,
              limit,
              topVer.topologyVersion(),
              topVer.minorTopologyVersion());
      UUID self = ignite.cluster().localNode().id();
      if (owners.size() == 1 && owners.contains(self)) {
        rows = job.on(ignite);
      } else if (owners.isEmpty()) {
        throw new GridException(
            GridException.Reason.UNAVAILABLE,
            "no node owns the partitions of " + cache.getName() + " yet: range refused");
      } else {
        rows = merge(ignite.compute(ignite.cluster().forNodeIds(owners)).broadcast(job), limit);
      }
    } catch (RuntimeException e) {
      throw IgniteErrors.translate(e);
    }
    List<VersionedRecord> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(toRecord(r));
    }
    return out;
  }

  /**
   * The first {@code limit} rows of the nodes' sorted lists, in key order. A key that two nodes
   * both report (a partition changing owner while the range ran) counts once.
   */
  private static List<Row> merge(Collection<List<Row>> perNode, int limit) {
    List<Row> all = new ArrayList<>();
    perNode.forEach(all::addAll);
    all.sort((a, b) -> Arrays.compareUnsigned(a.k, b.k));
    List<Row> out = new ArrayList<>(Math.min(limit, all.size()));
    for (Row r : all) {
      if (out.size() == limit) {
        break;
      }
      if (out.isEmpty() || !Arrays.equals(out.get(out.size() - 1).k, r.k)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * A range over one server node's primary partitions, read lazily from its sorted index: the
   * cursor stops after {@code limit} rows. Ignite's public IndexQuery (and its SQL engine's top-N
   * sort) read the whole range on the local node before returning its first page, which made a page
   * cost as much as the rest of the bucket after it (700 ms for one row at 500,000 keys); this
   * calls the same index query processor directly and stops reading when the page is full. It runs
   * on every node that is primary for a partition at the caller's affinity version (broadcast), or
   * in place when that is the local node alone.
   */
  static final class LocalRange implements IgniteCallable<List<Row>> {
    private static final long serialVersionUID = 1L;

    @IgniteInstanceResource private transient Ignite local;

    private final String cacheName;
    private final String index;
    private final long group;
    private final byte[] from;
    private final byte[] to;
    private final int limit;
    private final long topVer;
    private final int minorTopVer;

    LocalRange(
        String cacheName,
        String index,
        long group,
        byte[] from,
        byte[] to,
        int limit,
        long topVer,
        int minorTopVer) {
      this.cacheName = cacheName;
      this.index = index;
      this.group = group;
      this.from = from;
      this.to = to;
      this.limit = limit;
      this.topVer = topVer;
      this.minorTopVer = minorTopVer;
    }

    @Override
    public List<Row> call() {
      return on(local);
    }

    List<Row> on(Ignite ignite) {
      GridKernalContext ctx = ((IgniteEx) ignite).context();
      IndexQueryDesc desc =
          new IndexQueryDesc(
              List.of(eq("g", group), between("k", from, to)), index, Row.class.getName());
      AffinityTopologyVersion version = new AffinityTopologyVersion(topVer, minorTopVer);
      if (ctx.cache().context().exchange().readyAffinityVersion().compareTo(version) < 0) {
        // This node has not caught up with the caller's affinity yet (it is joining or
        // exchanging): refuse rather than read an index it may not have opened.
        throw new IgniteException("node not ready for affinity version " + version);
      }
      // The primary partitions of this node at the caller's affinity version, as Ignite's own
      // index queries filter them (backups would repeat rows).
      IndexingQueryFilter primaries = new IndexingQueryFilterImpl(ctx, version, null, false);
      List<Row> out = new ArrayList<>(Math.min(limit, 1024));
      try {
        // The processor hands out rows in binary form whatever keepBinary says.
        IndexQueryResult<Object, BinaryObject> res =
            ctx.query().queryIndex(cacheName, Row.class.getName(), desc, null, primaries, true, 0);
        GridCloseableIterator<IgniteBiTuple<Object, BinaryObject>> it = res.iter();
        try {
          while (out.size() < limit && it.hasNextX()) {
            Row r = it.nextX().getValue().deserialize();
            // between() includes its upper bound; ranges exclude it.
            if (!Arrays.equals(r.k, to)) {
              out.add(r);
            }
          }
        } finally {
          it.close();
        }
      } catch (IgniteCheckedException e) {
        throw new IgniteException(e);
      }
      return out;
    }
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
