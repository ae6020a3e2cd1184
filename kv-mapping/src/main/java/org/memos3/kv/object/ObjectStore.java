package org.memos3.kv.object;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.memos3.grid.Grid;
import org.memos3.grid.GridException;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.KvConfig;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.KeyRanges;
import org.memos3.kv.list.ListPage;
import org.memos3.kv.list.ListedObject;
import org.memos3.kv.manifest.Manifest;

/**
 * Objects of buckets: writes, reads, deletes and listings, with S3's semantics. The commit order of
 * a write is fixed: chunks, then manifest, then the head CAS (the commit point), then the replaced
 * version onto the GC queue. Nothing is acknowledged before the head CAS succeeded. All methods
 * block on the grid; call them off the event loop.
 */
public final class ObjectStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Grace period before a replaced version's blocks may be reclaimed (GETs in flight finish). */
  public static final long GC_GRACE_MILLIS = 10 * 60_000;

  private final Grid grid;
  private final Buckets buckets;
  private final RecordTable heads;
  private final Executor io;
  private final Clock clock;
  private final KvConfig config;
  private final ChunkWriter writer;

  public ObjectStore(Grid grid, Buckets buckets, Executor io, Clock clock, KvConfig config) {
    this.grid = grid;
    this.buckets = buckets;
    this.heads = grid.table(Table.HEADS);
    this.io = io;
    this.clock = clock;
    this.config = config;
    this.writer =
        new ChunkWriter(
            grid.blocks(), io, config.chunkSize(), config.writeWindow(), config.inlineLimit());
  }

  private static byte[] keyBytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] newWriteId() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return id;
  }

  /**
   * Stores a new current version of {@code key}. Reads the body to EOF (the body verifies itself),
   * stores chunks and manifest, then commits the head by CAS, re-basing on concurrent writers (last
   * writer wins) unless {@code conditions} say otherwise.
   *
   * @throws IOException when reading the body fails (including verification failures)
   */
  public ObjectHead put(String bucketName, String key, ObjectData data, Conditions conditions)
      throws IOException {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    if (conditions.any()) {
      // Fail fast before reading the body; the CAS below decides for real.
      checkConditions(conditions, current(b, bucketKey, k).map(VersionedHead::head));
    }
    Manifest m = storeData(b, data, 0);
    return commit(b, key, m, conditions);
  }

  /**
   * Streams {@code data} into chunks and stores its manifest (steps 1 and 2 of the commit order);
   * nothing refers to it yet. {@code part} is 0 for a whole object, else the part number.
   */
  public Manifest storeData(Bucket b, ObjectData data, int part) throws IOException {
    byte[] writeId = newWriteId();
    byte[] dataKey = Aead.newKey();
    ChunkWriter.Written w = writer.write(data.body(), dataKey, writeId, b.id(), part);
    Optional<Map.Entry<String, String>> sum = data.checksum();
    return new Manifest(
        writeId,
        w.size(),
        data.etag(),
        clock.millis(),
        data.headers(),
        data.userMetadata(),
        sum.map(Map.Entry::getKey).orElse(null),
        sum.map(Map.Entry::getValue).orElse(null),
        dataKey,
        w.inline(),
        w.root() == null ? 0 : w.root().depth(),
        w.root() == null ? List.of() : w.root().refs(),
        part,
        List.of());
  }

  /** Stores a manifest block; returns its address. */
  public BlockAddress storeManifest(Bucket b, Manifest m) {
    return grid.blocks().put(BlockType.MANIFEST, m.seal(buckets.keyOf(b), b.id()));
  }

  /**
   * Stores {@code m} and makes it the current version of {@code key} by head CAS (steps 2 and 3 of
   * the commit order), then retires the replaced version (step 4).
   */
  public ObjectHead commit(Bucket b, String key, Manifest m, Conditions conditions) {
    BlockAddress manifest = storeManifest(b, m);
    ObjectHead head =
        new ObjectHead(m.writeId(), "null", false, manifest, m.size(), m.etag(), m.lastModified());
    commit(b, buckets.keyOf(b), keyBytes(key), head, conditions);
    return head;
  }

  /** Opens a part manifest of a multipart object. */
  public Manifest openPart(Bucket b, Manifest.PartRef ref) {
    byte[] sealed =
        grid.blocks()
            .get(ref.manifest())
            .orElseThrow(
                () ->
                    new GridException(
                        GridException.Reason.MISSING_BLOCK,
                        "part manifest " + ref.manifest() + " is missing"));
    return Manifest.open(sealed, buckets.keyOf(b), b.id(), ref.writeId());
  }

  private record VersionedHead(long version, ObjectHead head) {}

  private Optional<VersionedHead> current(Bucket b, byte[] bucketKey, byte[] k) {
    return heads
        .get(b.id(), k)
        .map(r -> new VersionedHead(r.version(), ObjectHead.open(r.value(), bucketKey, b.id(), k)));
  }

  private static void checkConditions(Conditions c, Optional<ObjectHead> cur) {
    boolean exists = cur.isPresent() && !cur.get().deleteMarker();
    if (c.ifNoneMatchAny() && exists) {
      throw new KvException(KvException.Reason.PRECONDITION_FAILED, "object exists");
    }
    if (c.ifMatch() != null) {
      if (!exists) {
        throw new KvException(KvException.Reason.NO_SUCH_KEY, "no such key");
      }
      String want = c.ifMatch();
      if (!want.equals("*") && !want.equals(cur.get().etag())) {
        throw new KvException(KvException.Reason.PRECONDITION_FAILED, "etag differs");
      }
    }
  }

  /** The head CAS loop: the commit point of every write. */
  private void commit(Bucket b, byte[] bucketKey, byte[] k, ObjectHead head, Conditions c) {
    byte[] sealed = head.seal(bucketKey, b.id(), k);
    for (int attempt = 0; attempt < config.casRetries(); attempt++) {
      Optional<VersionedHead> cur = current(b, bucketKey, k);
      checkConditions(c, cur.map(VersionedHead::head));
      long expected = cur.map(VersionedHead::version).orElse(0L);
      CasResult r = heads.compareAndSet(b.id(), k, expected, sealed);
      if (r.applied()) {
        cur.ifPresent(old -> retire(b, old.head()));
        return;
      }
      backoff(attempt);
    }
    throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(Math.min(50, 1L << Math.min(attempt, 5)) + RANDOM.nextInt(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GridException(GridException.Reason.UNAVAILABLE, "interrupted");
    }
  }

  /**
   * Puts a replaced version on the GC queue, due after the grace period. Key: due time, then write
   * id (so the reaper reads in due order); value: bucket id and manifest address.
   */
  private void retire(Bucket b, ObjectHead old) {
    if (old.manifest() != null) {
      retire(b, old.writeId(), old.manifest());
    }
  }

  /** Puts a manifest (and so everything only it refers to) on the GC queue. */
  public void retire(Bucket b, byte[] writeId, BlockAddress manifest) {
    long due = clock.millis() + GC_GRACE_MILLIS;
    byte[] key = ByteBuffer.allocate(8 + 16).putLong(due).put(writeId).array();
    byte[] value =
        ByteBuffer.allocate(8 + 16 + 33).putLong(b.id()).put(writeId).put(manifest.bytes()).array();
    grid.table(Table.GC).compareAndSet(0, key, 0, value);
  }

  /** The current version of {@code key}; empty when absent or a delete marker. */
  public Optional<StoredObject> find(String bucketName, String key) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    return current(b, bucketKey, k)
        .map(VersionedHead::head)
        .filter(h -> !h.deleteMarker())
        .map(h -> new StoredObject(b, key, h, readManifest(b, bucketKey, h)));
  }

  private Manifest readManifest(Bucket b, byte[] bucketKey, ObjectHead h) {
    byte[] sealed =
        grid.blocks()
            .get(h.manifest())
            .orElseThrow(
                () ->
                    new GridException(
                        GridException.Reason.MISSING_BLOCK,
                        "manifest " + h.manifest() + " is missing"));
    return Manifest.open(sealed, bucketKey, b.id(), h.writeId());
  }

  /** The bytes {@code [from, toExclusive)} of a stored object. The caller closes it. */
  public ObjectContent open(StoredObject o, long from, long toExclusive) {
    return new ObjectContent(
        grid.blocks(),
        io,
        o.manifest(),
        o.bucket().id(),
        from,
        toExclusive,
        config.readWindow(),
        ref -> openPart(o.bucket(), ref));
  }

  /** Deletes the current version of {@code key}; deleting an absent key succeeds (as in S3). */
  public void delete(String bucketName, String key) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    for (int attempt = 0; attempt < config.casRetries(); attempt++) {
      Optional<VersionedHead> cur = current(b, bucketKey, k);
      if (cur.isEmpty()) {
        return;
      }
      if (heads.compareAndSet(b.id(), k, cur.get().version(), null).applied()) {
        retire(b, cur.get().head());
        return;
      }
      backoff(attempt);
    }
    throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
  }

  /**
   * Lists current versions in key order: keys starting with {@code prefix}, after {@code
   * startAfter} (exclusive; null for the start), rolled up at {@code delimiter} (null for none), at
   * most {@code maxKeys} objects plus common prefixes. Seeks past each common prefix.
   */
  public ListPage list(
      String bucketName, String prefix, String delimiter, String startAfter, int maxKeys) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] p = keyBytes(prefix == null ? "" : prefix);
    byte[] d = delimiter == null || delimiter.isEmpty() ? null : keyBytes(delimiter);
    byte[] hi = KeyRanges.prefixEnd(p);
    byte[] from = p;
    if (startAfter != null && !startAfter.isEmpty()) {
      from = KeyRanges.max(p, KeyRanges.successor(keyBytes(startAfter)));
    }
    List<ListedObject> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    int count = 0;
    boolean truncated = false;
    scan:
    while (true) {
      int batch = Math.max(1, Math.min(1000, maxKeys - count + 1));
      List<VersionedRecord> page = heads.range(b.id(), from, hi, batch);
      if (page.isEmpty()) {
        break;
      }
      for (VersionedRecord rec : page) {
        byte[] key = rec.key();
        int cut = d == null ? -1 : KeyRanges.indexOf(key, d, p.length);
        ObjectHead h = cut >= 0 ? null : ObjectHead.open(rec.value(), bucketKey, b.id(), key);
        if (h != null && h.deleteMarker()) {
          from = KeyRanges.successor(key);
          continue;
        }
        if (count >= maxKeys) {
          truncated = true;
          break scan;
        }
        count++;
        if (cut >= 0) {
          byte[] cp = java.util.Arrays.copyOf(key, cut + d.length);
          last = new String(cp, StandardCharsets.UTF_8);
          prefixes.add(last);
          from = KeyRanges.prefixEnd(cp);
          if (from == null) {
            break scan;
          }
          continue scan;
        }
        last = new String(key, StandardCharsets.UTF_8);
        objects.add(new ListedObject(last, h.size(), h.etag(), h.lastModified()));
        from = KeyRanges.successor(key);
      }
      if (page.size() < batch) {
        break;
      }
    }
    return new ListPage(objects, prefixes, truncated, truncated ? last : null);
  }
}
