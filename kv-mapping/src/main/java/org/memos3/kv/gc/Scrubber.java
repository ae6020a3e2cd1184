package org.memos3.kv.gc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.memos3.grid.Grid;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockStore;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.RecordScan;
import org.memos3.kv.manifest.ChunkTree;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.manifest.ManifestRef;
import org.memos3.kv.multipart.Part;
import org.memos3.kv.object.ObjectHead;

/**
 * Integrity check of a whole store, for {@code memo-s3 scrub} on a stopped node: reads every stored
 * block and checks it against its address, then walks every current version, noncurrent version and
 * multipart part (the same walk as the GC sweep's marking) and reports, per object, every block it
 * refers to that is corrupt or missing. Changes nothing.
 */
public final class Scrubber {
  private final BlockStore blocks;
  private final Grid grid;
  private final Buckets buckets;

  public Scrubber(Grid grid, Buckets buckets) {
    this.grid = grid;
    this.blocks = grid.blocks();
    this.buckets = buckets;
  }

  /** Told how far the block check is. */
  @FunctionalInterface
  public interface Progress {
    void blocksChecked(long done, long total);
  }

  /** A damaged block and the object it belongs to. */
  public record Problem(
      String kind, String address, String bucket, String key, String versionId, String detail) {}

  /**
   * @param blocksChecked blocks read and checked against their address
   * @param corruptBlocks addresses (hex) whose bytes no longer match
   * @param objectsChecked versions and parts walked
   * @param problems every corrupt or missing block referred to by an object (or an unreadable
   *     manifest), with the object
   */
  public record Report(
      long blocksChecked, List<String> corruptBlocks, long objectsChecked, List<Problem> problems) {
    public boolean clean() {
      return corruptBlocks.isEmpty() && problems.isEmpty();
    }

    public long missingBlocks() {
      return problems.stream().filter(p -> p.kind().equals("MISSING")).count();
    }
  }

  /**
   * Runs the check, calling {@code progress} every {@code every} blocks and at the end. Memory does
   * not grow with the store: blocks are checked as the scan visits them, and the walk asks the
   * store whether a referenced block exists; only corrupt addresses are kept.
   */
  public Report run(Progress progress, long every) {
    long total = blocks.count();
    Set<BlockAddress> corrupt = new LinkedHashSet<>();
    long[] done = {0};
    blocks.forEachAddress(
        a -> {
          try {
            blocks.get(a);
          } catch (GridException e) {
            if (e.reason() != GridException.Reason.CORRUPT_BLOCK) {
              throw e;
            }
            corrupt.add(a);
          }
          done[0]++;
          if (every > 0 && done[0] % every == 0) {
            progress.blocksChecked(done[0], Math.max(total, done[0]));
          }
        });
    progress.blocksChecked(done[0], done[0]);

    List<Problem> problems = new ArrayList<>();
    long[] objects = {0};
    for (Bucket b : buckets.list()) {
      byte[] bucketKey = buckets.keyOf(b);
      for (Table t : List.of(Table.HEADS, Table.VERSIONS)) {
        forEachRecord(
            t,
            b.id(),
            r -> {
              byte[] key =
                  t == Table.HEADS ? r.key() : java.util.Arrays.copyOf(r.key(), r.key().length - 9);
              String name = new String(key, StandardCharsets.UTF_8);
              ObjectHead h;
              try {
                h = ObjectHead.open(r.value(), bucketKey, b.id(), key);
              } catch (RuntimeException e) {
                problems.add(
                    new Problem("UNREADABLE", "-", b.name(), name, "-", "head: " + e.getMessage()));
                return;
              }
              if (h.manifest() != null) {
                objects[0]++;
                Where w = new Where(b.name(), name, h.versionId() == null ? "null" : h.versionId());
                check(b.id(), bucketKey, h.writeId(), h.manifest(), w, corrupt, problems);
              }
            });
      }
      forEachRecord(
          Table.PARTS,
          b.id(),
          r -> {
            Part p = Part.fromRow(r.key(), r.value(), bucketKey, b.id());
            objects[0]++;
            Where w = new Where(b.name(), "(multipart upload part " + p.partNumber() + ")", "-");
            check(
                b.id(),
                bucketKey,
                p.writeId(),
                new ManifestRef.Stored(p.manifest()),
                w,
                corrupt,
                problems);
          });
    }
    List<String> corruptHex = corrupt.stream().map(BlockAddress::toHex).toList();
    return new Report(done[0], corruptHex, objects[0], problems);
  }

  private record Where(String bucket, String key, String versionId) {}

  private void check(
      long bucketId,
      byte[] bucketKey,
      byte[] writeId,
      ManifestRef manifest,
      Where w,
      Set<BlockAddress> corrupt,
      List<Problem> out) {
    // The read below tells a missing manifest; only the corrupt set needs asking first.
    if (manifest.block().map(corrupt::contains).orElse(false)) {
      out.add(problem("CORRUPT", manifest, w, "manifest"));
      return;
    }
    Manifest m;
    try {
      Optional<byte[]> sealed = manifest.sealed(blocks);
      if (sealed.isEmpty()) {
        out.add(problem("MISSING", manifest, w, "manifest"));
        return;
      }
      m = Manifest.open(sealed.get(), bucketKey, bucketId, writeId);
    } catch (RuntimeException e) {
      out.add(problem("UNREADABLE", manifest, w, "manifest: " + e.getMessage()));
      return;
    }
    for (Manifest.PartRef p : m.parts()) {
      check(
          bucketId, bucketKey, p.writeId(), new ManifestRef.Stored(p.manifest()), w, corrupt, out);
    }
    if (!m.isInline()) {
      try {
        ChunkTree.walk(
            blocks,
            m.dataKey(),
            m.writeId(),
            new ChunkTree.Root(m.depth(), m.refs()),
            (a, len, index) -> verdict(a, index ? "index" : "chunk", w, corrupt, out));
      } catch (GridException e) {
        out.add(problem("CORRUPT", manifest, w, "index block: " + e.getMessage()));
      } catch (RuntimeException e) {
        out.add(problem("UNREADABLE", manifest, w, "index block: " + e.getMessage()));
      }
    }
  }

  /** Records a problem with {@code a}; true when the block is present and sound. */
  private boolean verdict(
      BlockAddress a, String what, Where w, Set<BlockAddress> corrupt, List<Problem> out) {
    if (corrupt.contains(a)) {
      out.add(problem("CORRUPT", a, w, what));
      return false;
    }
    if (!blocks.contains(a)) {
      out.add(problem("MISSING", a, w, what));
      return false;
    }
    return true;
  }

  private static Problem problem(String kind, BlockAddress a, Where w, String detail) {
    return new Problem(kind, a.toHex(), w.bucket(), w.key(), w.versionId(), detail);
  }

  /** A problem with a manifest: its block, or "-" and "embedded" when it lives in its record. */
  private static Problem problem(String kind, ManifestRef m, Where w, String detail) {
    return m.block()
        .map(a -> problem(kind, a, w, detail))
        .orElseGet(
            () -> new Problem(kind, "-", w.bucket(), w.key(), w.versionId(), "embedded " + detail));
  }

  private void forEachRecord(Table t, long group, Consumer<VersionedRecord> v) {
    RecordScan.forEach(grid.table(t), group, 500, v);
  }
}
