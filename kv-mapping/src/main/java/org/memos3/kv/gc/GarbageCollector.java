package org.memos3.kv.gc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.memos3.grid.Grid;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.kv.Codec;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.RecordScan;
import org.memos3.kv.manifest.ChunkTree;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.manifest.ManifestRef;
import org.memos3.kv.multipart.Part;
import org.memos3.kv.object.ObjectHead;

/**
 * Garbage collection of blocks. The reaper frees the blocks of retired manifests once their grace
 * period is over (children before parents, the manifest last, the queue entry after that, so an
 * interrupted run is simply run again). The sweep finds blocks that nothing references (a crash
 * between writing chunks and committing the head leaves such blocks): a block unreferenced in one
 * sweep becomes a suspect, and is freed by a later sweep if it is still unreferenced after the
 * sweep grace period. The sweep does nothing while the grid is not ready (lost partitions): absence
 * during churn is not garbage. Runs are serialised within this process.
 */
public final class GarbageCollector {
  /** GC table group of sweep suspects: key = block address, value = first seen (ms). */
  static final long SUSPECTS = 1;

  private static final byte[] STATS_KEY = "gc-stats".getBytes(StandardCharsets.UTF_8);

  private final Grid grid;
  private final BlockStore blocks;
  private final RecordTable queue;
  private final Buckets buckets;
  private final Clock clock;
  private final KvConfig config;

  public GarbageCollector(Grid grid, Buckets buckets, Clock clock, KvConfig config) {
    this.grid = grid;
    this.blocks = grid.blocks();
    this.queue = grid.table(Table.GC);
    this.buckets = buckets;
    this.clock = clock;
    this.config = config;
  }

  /** What a run freed. */
  public record Report(long manifests, long blocks, long bytes) {}

  /** Where a long GC pass is: called after each record, manifest or block it handles. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (phase, done) -> {};

    /**
     * @param phase what is being counted ("retired versions reaped", "records marked", ...)
     * @param done how many so far in this phase
     */
    void at(String phase, long done);
  }

  /** GC state for {@code memo-s3 gc status} and metrics. */
  public record Status(
      long pendingManifests,
      long pendingBytes,
      long dueManifests,
      long suspects,
      long reclaimedBlocks,
      long reclaimedBytes,
      long storedBlocks) {}

  /** Frees the blocks of every retired manifest whose grace period is over. */
  public Report reap() {
    return reap(Progress.NONE);
  }

  /** {@link #reap()}, reporting each retired version reaped to {@code progress}. */
  public synchronized Report reap(Progress progress) {
    long now = clock.millis();
    byte[] hi = ByteBuffer.allocate(8).putLong(now + 1).array();
    long manifests = 0;
    long[] freed = new long[2];
    while (true) {
      List<VersionedRecord> due = queue.range(GcEntry.GROUP, new byte[0], hi, 100);
      if (due.isEmpty()) {
        break;
      }
      for (VersionedRecord r : due) {
        GcEntry e = GcEntry.decode(r.key(), r.value());
        byte[] bucketKey = buckets.unwrapKey(e.bucketId(), e.wrappedBucketKey());
        freeManifest(e.bucketId(), bucketKey, e.writeId(), e.manifest(), freed);
        queue.compareAndSet(GcEntry.GROUP, r.key(), r.version(), null);
        manifests++;
        progress.at("retired versions reaped", manifests);
      }
    }
    addStats(freed[0], freed[1]);
    return new Report(manifests, freed[0], freed[1]);
  }

  /** Deletes a manifest and everything only it refers to, in post-order. */
  private void freeManifest(
      long bucketId, byte[] bucketKey, byte[] writeId, ManifestRef ref, long[] freed) {
    Optional<byte[]> sealed = ref.sealed(blocks);
    if (sealed.isPresent()) {
      Manifest m = Manifest.open(sealed.get(), bucketKey, bucketId, writeId);
      for (Manifest.PartRef p : m.parts()) {
        freeManifest(bucketId, bucketKey, p.writeId(), new ManifestRef.Stored(p.manifest()), freed);
      }
      if (!m.isInline()) {
        ChunkTree.walk(
            blocks,
            m.dataKey(),
            m.writeId(),
            new ChunkTree.Root(m.depth(), m.refs()),
            (a, len, index) -> {
              blocks.delete(a);
              freed[0]++;
              freed[1] += len;
            });
      }
      if (ref.block().isPresent()) {
        blocks.delete(ref.block().get());
        freed[0]++;
      }
    }
  }

  /**
   * Marks every block reachable from heads, noncurrent versions, live multipart parts and the GC
   * queue; unreachable blocks become suspects, and suspects older than the sweep grace are freed.
   */
  public Report sweep() {
    return sweep(Progress.NONE);
  }

  /**
   * {@link #sweep()}, reporting to {@code progress} the records marked from, then the stored blocks
   * scanned, then the suspects checked against the sweep grace.
   *
   * <p>Memory stays small whatever the store holds: the reachable set is an {@link AddressFilter}
   * (about 10 bits per stored block), unreachable blocks go straight to the suspects table, and the
   * suspects are read back from it page by page.
   */
  public synchronized Report sweep(Progress progress) {
    if (!grid.settled()) {
      return new Report(0, 0, 0);
    }
    long stored = blocks.count();
    // Room for the blocks written while marking; an overfull filter only keeps more garbage.
    AddressFilter reachable =
        new AddressFilter(stored + stored / 4 + 1024, new SecureRandom().nextLong());
    long[] count = new long[1];
    for (Bucket b : buckets.list()) {
      byte[] bucketKey = buckets.keyOf(b);
      for (Table t : List.of(Table.HEADS, Table.VERSIONS)) {
        forEachRecord(
            t,
            b.id(),
            r -> {
              byte[] key = t == Table.HEADS ? r.key() : objectKeyOfVersionRow(r.key());
              ObjectHead h = ObjectHead.open(r.value(), bucketKey, b.id(), key);
              if (h.manifest() != null) {
                markManifest(b.id(), bucketKey, h.writeId(), h.manifest(), reachable);
              }
              progress.at("records marked", ++count[0]);
            });
      }
      forEachRecord(
          Table.PARTS,
          b.id(),
          r -> {
            Part p = Part.fromRow(r.key(), r.value(), bucketKey, b.id());
            markManifest(
                b.id(), bucketKey, p.writeId(), new ManifestRef.Stored(p.manifest()), reachable);
            progress.at("records marked", ++count[0]);
          });
    }
    forEachRecord(
        Table.GC,
        GcEntry.GROUP,
        r -> {
          GcEntry e = GcEntry.decode(r.key(), r.value());
          byte[] bucketKey = buckets.unwrapKey(e.bucketId(), e.wrappedBucketKey());
          markManifest(e.bucketId(), bucketKey, e.writeId(), e.manifest(), reachable);
          progress.at("records marked", ++count[0]);
        });
    long now = clock.millis();
    byte[] firstSeen = ByteBuffer.allocate(8).putLong(now).array();
    long[] scanned = new long[1];
    // Unreachable blocks become suspects, first seen now (an existing suspect keeps its time).
    blocks.forEachAddress(
        a -> {
          if (!reachable.mightContain(a)) {
            byte[] k = a.bytes();
            if (queue.get(SUSPECTS, k).isEmpty()) {
              queue.compareAndSet(SUSPECTS, k, 0, firstSeen);
            }
          }
          progress.at("stored blocks scanned", ++scanned[0]);
        });
    if (!grid.settled()) {
      return new Report(0, 0, 0);
    }
    // A suspect that is reachable now (its write committed, or a false positive of the filter) or
    // gone is cleared; one still unreachable since before the sweep grace is freed. The filter has
    // no false negatives: a block it does not hold was unreachable when marked.
    long[] freed = new long[2];
    long[] checked = new long[1];
    forEachRecord(
        Table.GC,
        SUSPECTS,
        r -> {
          progress.at("suspects checked", ++checked[0]);
          BlockAddress a = BlockAddress.fromBytes(r.key());
          if (reachable.mightContain(a) || !blocks.contains(a)) {
            queue.compareAndSet(SUSPECTS, r.key(), r.version(), null);
          } else if (ByteBuffer.wrap(r.value()).getLong() + config.sweepGraceMillis() <= now) {
            blocks.delete(a);
            queue.compareAndSet(SUSPECTS, r.key(), r.version(), null);
            freed[0]++;
          }
        });
    addStats(freed[0], freed[1]);
    return new Report(0, freed[0], freed[1]);
  }

  private static byte[] objectKeyOfVersionRow(byte[] rowKey) {
    return java.util.Arrays.copyOf(rowKey, rowKey.length - 9);
  }

  private void markManifest(
      long bucketId, byte[] bucketKey, byte[] writeId, ManifestRef ref, AddressFilter out) {
    ref.block().ifPresent(out::add);
    Optional<byte[]> sealed = ref.sealed(blocks);
    if (sealed.isEmpty()) {
      return;
    }
    Manifest m = Manifest.open(sealed.get(), bucketKey, bucketId, writeId);
    for (Manifest.PartRef p : m.parts()) {
      markManifest(bucketId, bucketKey, p.writeId(), new ManifestRef.Stored(p.manifest()), out);
    }
    if (!m.isInline()) {
      ChunkTree.walk(
          blocks,
          m.dataKey(),
          m.writeId(),
          new ChunkTree.Root(m.depth(), m.refs()),
          (a, len, index) -> out.add(a));
    }
  }

  private void forEachRecord(Table t, long group, Consumer<VersionedRecord> v) {
    RecordScan.forEach(grid.table(t), group, 500, v);
  }

  /**
   * Adds to the reclaimed totals. A run that freed nothing writes nothing: the reaper runs every
   * minute, and an idle node should not write its WAL for it.
   */
  private void addStats(long blocksFreed, long bytesFreed) {
    if (blocksFreed == 0 && bytesFreed == 0) {
      return;
    }
    RecordTable meta = grid.table(Table.META);
    while (true) {
      Optional<VersionedRecord> cur = meta.get(0, STATS_KEY);
      long[] s = cur.map(r -> decodeStats(r.value())).orElse(new long[2]);
      byte[] next = new Codec.Writer().i64(s[0] + blocksFreed).i64(s[1] + bytesFreed).toBytes();
      long expected = cur.map(VersionedRecord::version).orElse(0L);
      if (meta.compareAndSet(0, STATS_KEY, expected, next).applied()) {
        return;
      }
    }
  }

  private static long[] decodeStats(byte[] v) {
    Codec.Reader r = new Codec.Reader(v);
    return new long[] {r.i64(), r.i64()};
  }

  /** Rewraps the bucket keys carried by queued entries, for a master key rotation. */
  public synchronized int rewrapKeys(org.memos3.grid.crypto.MasterKey rotation) {
    int[] n = {0};
    forEachRecord(
        Table.GC,
        GcEntry.GROUP,
        r -> {
          GcEntry e = GcEntry.decode(r.key(), r.value());
          GcEntry next =
              new GcEntry(
                  e.due(),
                  e.bucketId(),
                  e.writeId(),
                  e.manifest(),
                  Buckets.rewrap(rotation, e.bucketId(), e.wrappedBucketKey()),
                  e.size());
          if (queue.compareAndSet(GcEntry.GROUP, r.key(), r.version(), next.value()).applied()) {
            n[0]++;
          }
        });
    return n[0];
  }

  /** Counts the queue, the suspects and what was reclaimed so far. */
  public Status status() {
    long now = clock.millis();
    long[] pending = new long[3];
    forEachRecord(
        Table.GC,
        GcEntry.GROUP,
        r -> {
          GcEntry e = GcEntry.decode(r.key(), r.value());
          pending[0]++;
          pending[1] += e.size();
          if (e.due() <= now) {
            pending[2]++;
          }
        });
    long[] suspects = new long[1];
    forEachRecord(Table.GC, SUSPECTS, r -> suspects[0]++);
    long[] stats =
        grid.table(Table.META)
            .get(0, STATS_KEY)
            .map(r -> decodeStats(r.value()))
            .orElse(new long[2]);
    long stored;
    try {
      stored = blocks.count();
    } catch (GridException e) {
      stored = -1;
    }
    return new Status(pending[0], pending[1], pending[2], suspects[0], stats[0], stats[1], stored);
  }
}
