package org.memos3.kv.object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.memos3.grid.Grid;
import org.memos3.grid.GridException;
import org.memos3.grid.block.ArrayPool;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.KvConfig;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.Versioning;
import org.memos3.kv.gc.GcEntry;
import org.memos3.kv.list.KeyRanges;
import org.memos3.kv.list.ListPage;
import org.memos3.kv.list.ListedObject;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.manifest.ManifestRef;

/**
 * Objects of buckets: writes, reads, deletes and listings, with S3's semantics. The commit order of
 * a write is fixed: chunks, then manifest, then the head CAS (the commit point), then the replaced
 * version onto the GC queue. Nothing is acknowledged before the head CAS succeeded. All methods
 * block on the grid; call them off the event loop.
 */
public final class ObjectStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Grid grid;
  private final Buckets buckets;
  private final RecordTable heads;
  private final Executor io;
  private final Clock clock;
  private final KvConfig config;
  private final ChunkWriter writer;
  private final VersionLog versions;

  /**
   * Arrays for the sealed and opened chunks of reads (a sealed chunk's size), reused across GETs;
   * at most {@link #IDLE_READ_ARRAYS} wait idle.
   */
  private final ArrayPool readArrays;

  private static final int IDLE_READ_ARRAYS = 32;

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
    this.versions = new VersionLog(grid.table(Table.VERSIONS));
    this.readArrays = new ArrayPool(Aead.sealedLength(config.chunkSize()), IDLE_READ_ARRAYS);
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
    return put(buckets.require(bucketName), key, data, conditions);
  }

  /**
   * {@link #put(String, String, ObjectData, Conditions)} into the bucket {@code b} as the caller
   * read it (for its access check): one bucket read per request instead of two.
   */
  public ObjectHead put(Bucket b, String key, ObjectData data, Conditions conditions)
      throws IOException {
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    if (conditions.any()) {
      // Fail fast before reading the body; the CAS below decides for real.
      checkConditions(conditions, current(b, bucketKey, k).map(VersionedHead::head));
    }
    Manifest m = storeData(b, data, 0);
    return commit(b, key, m, conditions, data.tags(), data.lock());
  }

  /**
   * Streams {@code data} into chunks and stores its manifest (steps 1 and 2 of the commit order);
   * nothing refers to it yet. {@code part} is 0 for a whole object, else the part number.
   */
  public Manifest storeData(Bucket b, ObjectData data, int part) throws IOException {
    byte[] writeId = newWriteId();
    byte[] dataKey = Aead.newKey();
    CustomerKey ck = data.customerKey();
    ChunkWriter.Written w =
        writer.write(
            data.body(),
            data.sizeHint(),
            dataKey,
            ck == null ? dataKey : ck.chunkKey(writeId),
            ck == null,
            writeId,
            b.id(),
            part);
    Optional<Map.Entry<String, String>> sum = data.checksum();
    return new Manifest(
        writeId,
        w.size(),
        ck == null ? data.etag() : ck.etag(data.etag(), writeId),
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
        List.of(),
        ck == null ? null : ck.newCheck());
  }

  /** Stores a manifest block; returns its address. */
  public BlockAddress storeManifest(Bucket b, Manifest m) {
    return grid.blocks().put(BlockType.MANIFEST, m.seal(buckets.keyOf(b), b.id()));
  }

  /**
   * Stores {@code m} and makes it the current version of {@code key} by head CAS (steps 2 and 3 of
   * the commit order), then retires the replaced version (step 4). A small manifest is embedded in
   * the head itself ({@link ManifestRef#embeds}): one record for steps 2 and 3.
   */
  public ObjectHead commit(Bucket b, String key, Manifest m, Conditions conditions) {
    return commit(b, key, m, conditions, Map.of());
  }

  /** As {@link #commit(Bucket, String, Manifest, Conditions)}, with the new version's tags. */
  public ObjectHead commit(
      Bucket b, String key, Manifest m, Conditions conditions, Map<String, String> tags) {
    return commit(b, key, m, conditions, tags, ObjectLock.NONE);
  }

  /**
   * As {@link #commit(Bucket, String, Manifest, Conditions, Map)}, with the new version's Object
   * Lock state (the bucket's default retention added when it gives none).
   */
  public ObjectHead commit(
      Bucket b,
      String key,
      Manifest m,
      Conditions conditions,
      Map<String, String> tags,
      ObjectLock lock) {
    ObjectHead head = newVersion(b, m, tags, lock);
    commit(b, key, head, conditions);
    return head;
  }

  /**
   * As {@link #commit(Bucket, String, Manifest, Conditions, Map)}, in one step with {@code
   * together} (a CAS of another record, {@link Grid#compareAndSetAll}): the version becomes current
   * only while that CAS applies too. A multipart completion moves its completing upload record so,
   * and an abort that removed the record first makes the completion fail instead of freeing parts
   * of a committed object. Throws NO_SUCH_UPLOAD when {@code together} does not apply.
   */
  public ObjectHead commitTogether(
      Bucket b,
      String key,
      Manifest m,
      Conditions conditions,
      Map<String, String> tags,
      ObjectLock lock,
      Cas together) {
    ObjectHead head = newVersion(b, m, tags, lock);
    if (!commit(
        b,
        buckets.keyOf(b),
        keyBytes(key),
        head,
        conditions,
        null,
        config.casRetries(),
        List.of(together))) {
      throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
    }
    return head;
  }

  /**
   * The head of a new version holding {@code m} (step 2 of the commit order: a manifest too large
   * to embed is stored); nothing refers to it until {@link #commit(Bucket, String, ObjectHead,
   * Conditions)} or {@link #tryCommit} makes it current.
   */
  public ObjectHead newVersion(Bucket b, Manifest m, Map<String, String> tags) {
    return newVersion(b, m, tags, ObjectLock.NONE);
  }

  /**
   * {@link #newVersion(Bucket, Manifest, Map)} with the Object Lock state {@code lock}, to which
   * the bucket's default retention is added when {@code lock} has no retention.
   */
  public ObjectHead newVersion(Bucket b, Manifest m, Map<String, String> tags, ObjectLock lock) {
    byte[] sealed = m.seal(buckets.keyOf(b), b.id());
    ManifestRef manifest =
        ManifestRef.embeds(m, sealed)
            ? new ManifestRef.Embedded(sealed)
            : new ManifestRef.Stored(grid.blocks().put(BlockType.MANIFEST, sealed));
    return new ObjectHead(
        m.writeId(),
        newVersionId(b),
        false,
        manifest,
        m.size(),
        m.etag(),
        m.lastModified(),
        Map.copyOf(tags),
        lock.withDefault(b.objectLock(), m.lastModified()));
  }

  /** Makes {@code head} the current version of {@code key} (step 3), retrying a lost CAS. */
  public void commit(Bucket b, String key, ObjectHead head, Conditions conditions) {
    commit(b, buckets.keyOf(b), keyBytes(key), head, conditions);
  }

  /**
   * {@link #commit(Bucket, String, ObjectHead, Conditions)} in one attempt that never waits: false
   * when another write of {@code key} won the CAS (nothing refers to {@code head} then; commit it
   * again where waiting is allowed).
   */
  public boolean tryCommit(Bucket b, String key, ObjectHead head, Conditions conditions) {
    return commit(b, buckets.keyOf(b), keyBytes(key), head, conditions, null, 1, List.of());
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

  /** S3's version id for a new version: random in Enabled buckets, "null" otherwise. */
  private static String newVersionId(Bucket b) {
    if (b.versioning() != Versioning.ENABLED) {
      return NULL_VERSION;
    }
    byte[] r = new byte[24];
    RANDOM.nextBytes(r);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(r);
  }

  /** The version id of unversioned objects and of writes in Suspended buckets. */
  public static final String NULL_VERSION = "null";

  /**
   * The head CAS loop: the commit point of every write. In a versioned bucket the version being
   * replaced is first recorded as noncurrent (so it survives a crash right after the CAS); a
   * replaced "null" version (unversioned or suspended bucket) goes to GC instead.
   */
  private void commit(Bucket b, byte[] bucketKey, byte[] k, ObjectHead head, Conditions c) {
    commit(b, bucketKey, k, head, c, null);
  }

  /**
   * The head CAS loop, applied only while the current version has the write id {@code
   * expectedWriteId} (when not null; else PRECONDITION_FAILED).
   */
  private void commit(
      Bucket b, byte[] bucketKey, byte[] k, ObjectHead head, Conditions c, byte[] expectedWriteId) {
    if (!commit(b, bucketKey, k, head, c, expectedWriteId, config.casRetries(), List.of())) {
      throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
    }
  }

  /**
   * The head CAS loop in at most {@code attempts} attempts; false when every one lost. The CASes
   * {@code together} apply in the same step as the head's; NO_SUCH_UPLOAD when one of them fails
   * while the head had not moved.
   */
  private boolean commit(
      Bucket b,
      byte[] bucketKey,
      byte[] k,
      ObjectHead head,
      Conditions c,
      byte[] expectedWriteId,
      int attempts,
      List<Cas> together) {
    byte[] sealed = head.seal(bucketKey, b.id(), k);
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        backoff(attempt - 1);
      }
      Optional<VersionedHead> cur = current(b, bucketKey, k);
      checkConditions(c, cur.map(VersionedHead::head));
      if (expectedWriteId != null && !isWrite(cur, expectedWriteId)) {
        throw new KvException(KvException.Reason.PRECONDITION_FAILED, "current version changed");
      }
      long expected = cur.map(VersionedHead::version).orElse(0L);
      boolean keepOld =
          cur.isPresent() && !cur.get().head().versionId().equals(NULL_VERSION)
              || cur.isPresent() && b.versioning() == Versioning.ENABLED;
      if (!keepOld && cur.isPresent()) {
        // Replacing the "null" version: only with the bucket as read before its versioning was
        // Enabled and Object Lock set (a long upload), never a version Object Lock protects.
        locked(cur.get().head(), null, false);
      }
      if (b.versioning() == Versioning.SUSPENDED) {
        // So too a noncurrent "null" version, which a suspended bucket's write replaces.
        Optional<VersionLog.Entry> oldNull = versions.find(b, bucketKey, k, NULL_VERSION);
        if (oldNull.isPresent()) {
          locked(oldNull.get().head(), null, false);
        }
      }
      Optional<Cas> record =
          keepOld ? versions.record(b, bucketKey, k, expected, cur.get().head()) : Optional.empty();
      boolean applied;
      if (record.isEmpty() && together.isEmpty()) {
        applied = heads.compareAndSet(b.id(), k, expected, sealed).applied();
      } else {
        List<Cas> ops = new ArrayList<>(2 + together.size());
        record.ifPresent(ops::add);
        ops.add(new Cas(Table.HEADS, b.id(), k, expected, sealed));
        ops.addAll(together);
        applied = grid.compareAndSetAll(ops);
        if (!applied && !together.isEmpty() && headVersion(current(b, bucketKey, k)) == expected) {
          throw new KvException(
              KvException.Reason.NO_SUCH_UPLOAD, "the upload changed concurrently");
        }
      }
      if (applied) {
        if (cur.isPresent() && !keepOld) {
          retire(b, cur.get().head());
        }
        if (b.versioning() == Versioning.SUSPENDED) {
          dropNoncurrent(b, bucketKey, k, NULL_VERSION);
        }
        return true;
      }
    }
    return false;
  }

  private static long headVersion(Optional<VersionedHead> h) {
    return h.map(VersionedHead::version).orElse(0L);
  }

  private static boolean isWrite(Optional<VersionedHead> cur, byte[] writeId) {
    return cur.isPresent() && java.util.Arrays.equals(cur.get().head().writeId(), writeId);
  }

  /** Removes a noncurrent version by id (used for the "null" version in Suspended buckets). */
  private void dropNoncurrent(Bucket b, byte[] bucketKey, byte[] k, String versionId) {
    versions
        .find(b, bucketKey, k, versionId)
        .ifPresent(
            e -> {
              // A protected one stays (readers skip a duplicate "null" by version id).
              if (!e.head().lock().protects(clock.millis(), false) && versions.remove(b, e)) {
                retire(b, e.head());
              }
            });
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
   * Puts a replaced version on the GC queue, due after the grace period, unless nothing of it lives
   * outside its record. Key: due time, then write id (so the reaper reads in due order); value:
   * bucket id and the manifest (its address, or the embedded manifest itself).
   */
  private void retire(Bucket b, ObjectHead old) {
    if (old.manifest() != null && holdsBlocks(b, old)) {
      retire(b, old.writeId(), old.manifest(), old.size());
    }
  }

  /**
   * False only for an embedded manifest with its body inline: nothing of that version lives outside
   * its record, so it needs no GC entry (a small overwrite or delete then writes one record).
   */
  private boolean holdsBlocks(Bucket b, ObjectHead h) {
    if (!(h.manifest() instanceof ManifestRef.Embedded e)) {
      return true;
    }
    return !Manifest.open(e.bytes(), buckets.keyOf(b), b.id(), h.writeId()).isInline();
  }

  /** Puts a manifest (and so everything only it refers to) on the GC queue. */
  public void retire(Bucket b, byte[] writeId, ManifestRef manifest, long size) {
    GcEntry e =
        new GcEntry(
            clock.millis() + config.gcGraceMillis(),
            b.id(),
            writeId,
            manifest,
            b.wrappedKey(),
            size);
    grid.table(Table.GC).compareAndSet(GcEntry.GROUP, e.key(), 0, e.value());
  }

  /** The current version of {@code key}; empty when absent or a delete marker. */
  public Optional<StoredObject> find(String bucketName, String key) {
    return findVersion(bucketName, key, null).map(VersionView::object);
  }

  private Manifest readManifest(Bucket b, byte[] bucketKey, ObjectHead h) {
    byte[] sealed =
        h.manifest()
            .sealed(grid.blocks())
            .orElseThrow(
                () ->
                    new GridException(
                        GridException.Reason.MISSING_BLOCK,
                        "manifest " + h.manifest() + " is missing"));
    return Manifest.open(sealed, bucketKey, b.id(), h.writeId());
  }

  /** The bytes {@code [from, toExclusive)} of a stored object. The caller closes it. */
  public ObjectContent open(StoredObject o, long from, long toExclusive) {
    return open(o, from, toExclusive, null);
  }

  /**
   * {@link #open(StoredObject, long, long)} with the client's key {@code key} (SSE-C; null for
   * none), checked against the version's before anything is read (CustomerKey's refusals).
   */
  public ObjectContent open(StoredObject o, long from, long toExclusive, CustomerKey key) {
    CustomerKey.check(o.manifest().customerKeyCheck(), key);
    return new ObjectContent(
        grid.blocks(),
        io,
        readArrays,
        o.manifest(),
        o.bucket().id(),
        from,
        toExclusive,
        config.readWindow(),
        ref -> openPart(o.bucket(), ref),
        key);
  }

  /** What a delete did: the version id it created or removed, and whether that is a marker. */
  public record Deletion(String versionId, boolean deleteMarker) {}

  /**
   * Deletes {@code key} without a version id: removes the object in an unversioned bucket (an
   * absent key succeeds, as in S3), or adds a delete marker as the current version in a versioned
   * one.
   */
  public Deletion delete(String bucketName, String key) {
    return delete(bucketName, key, null).orElseThrow();
  }

  /**
   * {@link #delete(String, String)}, done only while the current version is still the write {@code
   * writeId} (lifecycle expiration: a version written meanwhile must not expire). Empty when the
   * current version is another one (or none).
   */
  public Optional<Deletion> deleteIfCurrent(String bucketName, String key, byte[] writeId) {
    return delete(bucketName, key, java.util.Objects.requireNonNull(writeId));
  }

  private Optional<Deletion> delete(String bucketName, String key, byte[] expectedWriteId) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    if (b.versioning() != Versioning.UNVERSIONED) {
      ObjectHead marker =
          new ObjectHead(newWriteId(), newVersionId(b), true, null, 0, null, clock.millis());
      try {
        commit(b, bucketKey, k, marker, Conditions.NONE, expectedWriteId);
      } catch (KvException e) {
        if (expectedWriteId != null && e.reason() == KvException.Reason.PRECONDITION_FAILED) {
          return Optional.empty();
        }
        throw e;
      }
      return Optional.of(new Deletion(marker.versionId(), true));
    }
    for (int attempt = 0; attempt < config.casRetries(); attempt++) {
      Optional<VersionedHead> cur = current(b, bucketKey, k);
      if (expectedWriteId != null && !isWrite(cur, expectedWriteId)) {
        return Optional.empty();
      }
      if (cur.isEmpty()) {
        return Optional.of(new Deletion(null, false));
      }
      if (locked(cur.get().head(), expectedWriteId, false)) {
        return Optional.empty(); // the bucket as read before Object Lock was set; see commit
      }
      if (heads.compareAndSet(b.id(), k, cur.get().version(), null).applied()) {
        retire(b, cur.get().head());
        return Optional.of(new Deletion(null, false));
      }
      backoff(attempt);
    }
    throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
  }

  /**
   * Permanently deletes one version. Deleting the current version promotes the newest noncurrent
   * one (by head CAS) or removes the key; an unknown version id succeeds without effect, as in S3.
   */
  public Deletion deleteVersion(String bucketName, String key, String versionId) {
    return deleteVersion(bucketName, key, versionId, false);
  }

  /**
   * {@link #deleteVersion(String, String, String)} of a version Object Lock may protect: a legal
   * hold or a retention in force refuses it (OBJECT_LOCKED), except a GOVERNANCE retention when
   * {@code bypassGovernance}.
   */
  public Deletion deleteVersion(
      String bucketName, String key, String versionId, boolean bypassGovernance) {
    return deleteVersion(bucketName, key, versionId, null, bypassGovernance).orElseThrow();
  }

  /**
   * {@link #deleteVersion(String, String, String)}, done only when the version {@code versionId} is
   * still the write {@code writeId} (lifecycle: a "null" version rewritten meanwhile must stay).
   * Empty when it is another write, or when Object Lock protects it.
   */
  public Optional<Deletion> deleteVersionIf(
      String bucketName, String key, String versionId, byte[] writeId) {
    return deleteVersion(
        bucketName, key, versionId, java.util.Objects.requireNonNull(writeId), false);
  }

  private Optional<Deletion> deleteVersion(
      String bucketName,
      String key,
      String versionId,
      byte[] expectedWriteId,
      boolean bypassGovernance) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    for (int attempt = 0; attempt < config.casRetries(); attempt++) {
      Optional<VersionedHead> cur = current(b, bucketKey, k);
      if (cur.isPresent() && cur.get().head().versionId().equals(versionId)) {
        if (expectedWriteId != null && !isWrite(cur, expectedWriteId)) {
          return Optional.empty();
        }
        ObjectHead gone = cur.get().head();
        if (locked(gone, expectedWriteId, bypassGovernance)) {
          return Optional.empty();
        }
        Optional<VersionLog.Entry> next =
            versions.versionsOf(b, bucketKey, k, Long.MAX_VALUE, 2).stream()
                .filter(e -> !e.head().versionId().equals(versionId))
                .findFirst();
        byte[] replacement = next.map(e -> e.head().seal(bucketKey, b.id(), k)).orElse(null);
        // The promoted version leaves the log in the same step that makes it current: a
        // concurrent delete of it then either removes its row first (and this step retries with
        // the next one) or finds it current. So does a duplicate row of the version deleted.
        List<Cas> ops = new ArrayList<>(3);
        ops.add(new Cas(Table.HEADS, b.id(), k, cur.get().version(), replacement));
        next.ifPresent(e -> ops.add(VersionLog.removal(b, e)));
        // A duplicate row is the same write (a failed CAS on an ATOMIC grid), never another
        // version that shares the id (a "null" kept because Object Lock protected it).
        versions
            .find(b, bucketKey, k, versionId)
            .filter(dup -> java.util.Arrays.equals(dup.head().writeId(), gone.writeId()))
            .ifPresent(dup -> ops.add(VersionLog.removal(b, dup)));
        if (grid.compareAndSetAll(ops)) {
          retire(b, gone);
          return Optional.of(new Deletion(versionId, gone.deleteMarker()));
        }
        backoff(attempt);
        continue;
      }
      Optional<VersionLog.Entry> e = versions.find(b, bucketKey, k, versionId);
      if (e.isEmpty() && cur.isPresent()) {
        // Not in the log as read, but reads see a transaction's records one at a time: a
        // promotion of this version may have removed its row and not yet set the head. Every
        // step that adds a row or promotes one holds the head's lock, so a CAS of the head onto
        // itself waits for any such step in flight (or makes it retry), and a second look after
        // it is the answer. Only a delete of a version that is gone pays this write.
        if (!heads
            .compareAndSet(
                b.id(), k, cur.get().version(), cur.get().head().seal(bucketKey, b.id(), k))
            .applied()) {
          continue; // the head moved: perhaps to this very version
        }
        e = versions.find(b, bucketKey, k, versionId);
        if (e.isPresent()) {
          continue;
        }
      }
      if (e.isEmpty()) {
        return expectedWriteId == null
            ? Optional.of(new Deletion(versionId, false))
            : Optional.empty();
      }
      if (expectedWriteId != null
          && !java.util.Arrays.equals(e.get().head().writeId(), expectedWriteId)) {
        return Optional.empty();
      }
      if (locked(e.get().head(), expectedWriteId, bypassGovernance)) {
        return Optional.empty();
      }
      if (versions.remove(b, e.get())) {
        retire(b, e.get().head());
        return Optional.of(new Deletion(versionId, e.get().head().deleteMarker()));
      }
      // The row changed under this call: a concurrent delete took it, its tags changed, or a
      // delete of the current version promoted it to the head. Look again.
    }
    throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
  }

  /**
   * Whether Object Lock keeps {@code h} from being deleted: false when it does not, true when the
   * deletion is a lifecycle one (which then skips the version), and for a client's deletion
   * OBJECT_LOCKED. Checked on the record the CAS then compares, so a retention set meanwhile makes
   * the CAS fail and the next look see it.
   */
  private boolean locked(ObjectHead h, byte[] expectedWriteId, boolean bypassGovernance) {
    if (!h.lock().protects(clock.millis(), bypassGovernance)) {
      return false;
    }
    if (expectedWriteId != null) {
      return true;
    }
    throw new KvException(
        KvException.Reason.OBJECT_LOCKED, "version " + h.versionId() + " is locked");
  }

  /**
   * A version as looked up: its head and, unless it is a delete marker, the object itself. {@code
   * latest} tells whether it is the current version.
   */
  public record VersionView(ObjectHead head, StoredObject object, boolean latest) {}

  /**
   * The current version (versionId null) or the given version of {@code key}, delete markers
   * included; empty when there is no such version.
   */
  public Optional<VersionView> findVersion(String bucketName, String key, String versionId) {
    return findVersion(buckets.require(bucketName), key, versionId);
  }

  /** {@link #findVersion(String, String, String)} in the bucket {@code b} as the caller read it. */
  public Optional<VersionView> findVersion(Bucket b, String key, String versionId) {
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    Optional<ObjectHead> cur = current(b, bucketKey, k).map(VersionedHead::head);
    ObjectHead h;
    boolean latest;
    if (versionId == null || cur.map(c -> c.versionId().equals(versionId)).orElse(false)) {
      h = cur.orElse(null);
      latest = true;
    } else {
      h = versions.find(b, bucketKey, k, versionId).map(VersionLog.Entry::head).orElse(null);
      latest = false;
    }
    if (h == null) {
      return Optional.empty();
    }
    StoredObject o =
        h.deleteMarker() ? null : new StoredObject(b, key, h, readManifest(b, bucketKey, h));
    return Optional.of(new VersionView(h, o, latest));
  }

  /**
   * Replaces the tag set of the current version (versionId null) or of the given version, by CAS on
   * its record; the version id, data and Last-Modified stay. Returns the version id tagged.
   */
  public String setTags(String bucketName, String key, String versionId, Map<String, String> tags) {
    Map<String, String> t = Map.copyOf(tags);
    return rewrite(bucketName, key, versionId, h -> h.withTags(t)).versionId();
  }

  /**
   * Changes the Object Lock state of the current version (versionId null) or of the given version
   * to what {@code change} makes of it, by CAS on its record: {@code change} sees the state the CAS
   * then compares (it may throw to refuse the change). Returns the version as rewritten.
   */
  public ObjectHead setLock(
      String bucketName, String key, String versionId, UnaryOperator<ObjectLock> change) {
    return rewrite(bucketName, key, versionId, h -> h.withLock(change.apply(h.lock())));
  }

  /**
   * Rewrites the record of the current version (versionId null) or of the given version with what
   * {@code change} makes of it, by CAS; a delete marker is {@link #markerRefusal}'s, an unknown
   * version NO_SUCH_VERSION. Returns the record written.
   */
  private ObjectHead rewrite(
      String bucketName, String key, String versionId, UnaryOperator<ObjectHead> change) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] k = keyBytes(key);
    for (int attempt = 0; attempt < config.casRetries(); attempt++) {
      Optional<VersionedHead> cur = current(b, bucketKey, k);
      if (cur.isPresent()
          && (versionId == null || cur.get().head().versionId().equals(versionId))) {
        ObjectHead h = cur.get().head();
        if (h.deleteMarker()) {
          throw markerRefusal(versionId, h);
        }
        ObjectHead next = change.apply(h);
        if (heads
            .compareAndSet(b.id(), k, cur.get().version(), next.seal(bucketKey, b.id(), k))
            .applied()) {
          return next;
        }
        backoff(attempt);
        continue;
      }
      if (versionId == null) {
        throw new KvException(KvException.Reason.NO_SUCH_KEY, "no such key");
      }
      VersionLog.Entry e =
          versions
              .find(b, bucketKey, k, versionId)
              .orElseThrow(() -> new KvException(KvException.Reason.NO_SUCH_VERSION, versionId));
      if (e.head().deleteMarker()) {
        throw markerRefusal(versionId, e.head());
      }
      ObjectHead next = change.apply(e.head());
      if (versions.replace(b, e, next.seal(bucketKey, b.id(), k))) {
        return next;
      }
      backoff(attempt);
    }
    throw new KvException(KvException.Reason.SLOW_DOWN, "too many concurrent writers of one key");
  }

  /**
   * A change of a delete marker's record: NO_SUCH_KEY when the request named no version (the key
   * reads as deleted), DELETE_MARKER when it named the marker, as S3 answers 405 to it.
   */
  private static KvException markerRefusal(String versionId, ObjectHead marker) {
    return versionId == null
        ? new KvException(KvException.Reason.NO_SUCH_KEY, "delete marker")
        : new KvException(KvException.Reason.DELETE_MARKER, marker.versionId());
  }

  /** One entry of ListObjectVersions. */
  public record VersionEntry(String key, ObjectHead head, boolean latest) {}

  /** One page of ListObjectVersions. */
  public record VersionsPage(
      List<VersionEntry> versions,
      List<String> commonPrefixes,
      boolean truncated,
      String nextKeyMarker,
      String nextVersionIdMarker) {}

  /**
   * Lists all versions, keys in byte order and each key's versions newest first, after the
   * (key-marker, version-id-marker) position, rolled up at {@code delimiter}.
   */
  public VersionsPage listVersions(
      String bucketName,
      String prefix,
      String delimiter,
      String keyMarker,
      String versionIdMarker,
      int maxKeys) {
    Bucket b = buckets.require(bucketName);
    byte[] bucketKey = buckets.keyOf(b);
    byte[] p = keyBytes(prefix == null ? "" : prefix);
    byte[] d = delimiter == null || delimiter.isEmpty() ? null : keyBytes(delimiter);
    byte[] hi = KeyRanges.prefixEnd(p);
    byte[] from = p;
    boolean resumeInKey = false;
    if (keyMarker != null && !keyMarker.isEmpty()) {
      resumeInKey = versionIdMarker != null && !versionIdMarker.isEmpty();
      byte[] km = keyBytes(keyMarker);
      from = KeyRanges.max(p, resumeInKey ? km : KeyRanges.successor(km));
    }
    List<VersionEntry> out = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    int count = 0;
    while (true) {
      List<VersionedRecord> page = heads.range(b.id(), from, hi, 100);
      if (page.isEmpty()) {
        return new VersionsPage(out, prefixes, false, null, null);
      }
      for (VersionedRecord rec : page) {
        byte[] key = rec.key();
        String keyStr = new String(key, StandardCharsets.UTF_8);
        int cut = d == null ? -1 : KeyRanges.indexOf(key, d, p.length);
        if (cut >= 0) {
          if (count >= maxKeys) {
            return new VersionsPage(out, prefixes, true, lastKey(out, prefixes), lastVersion(out));
          }
          byte[] cp = java.util.Arrays.copyOf(key, cut + d.length);
          prefixes.add(new String(cp, StandardCharsets.UTF_8));
          count++;
          from = KeyRanges.prefixEnd(cp);
          if (from == null) {
            return new VersionsPage(out, prefixes, false, null, null);
          }
          break;
        }
        ObjectHead head = ObjectHead.open(rec.value(), bucketKey, b.id(), key);
        List<VersionEntry> all = new ArrayList<>();
        all.add(new VersionEntry(keyStr, head, true));
        long below = Long.MAX_VALUE;
        while (true) {
          List<VersionLog.Entry> older = versions.versionsOf(b, bucketKey, key, below, 1000);
          for (VersionLog.Entry e : older) {
            if (!e.head().versionId().equals(head.versionId())) {
              all.add(new VersionEntry(keyStr, e.head(), false));
            }
          }
          if (older.size() < 1000) {
            break;
          }
          below = older.get(older.size() - 1).seq();
        }
        int start = 0;
        if (resumeInKey && keyStr.equals(keyMarker)) {
          for (int i = 0; i < all.size(); i++) {
            if (all.get(i).head().versionId().equals(versionIdMarker)) {
              start = i + 1;
              break;
            }
          }
        }
        for (int i = start; i < all.size(); i++) {
          if (count >= maxKeys) {
            return new VersionsPage(out, prefixes, true, lastKey(out, prefixes), lastVersion(out));
          }
          out.add(all.get(i));
          count++;
        }
        from = KeyRanges.successor(key);
      }
    }
  }

  private static String lastKey(List<VersionEntry> out, List<String> prefixes) {
    String k = out.isEmpty() ? null : out.get(out.size() - 1).key();
    String pfx = prefixes.isEmpty() ? null : prefixes.get(prefixes.size() - 1);
    if (k == null) {
      return pfx;
    }
    return pfx != null && pfx.compareTo(k) > 0 ? pfx : k;
  }

  private static String lastVersion(List<VersionEntry> out) {
    return out.isEmpty() ? null : out.get(out.size() - 1).head().versionId();
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
    byte[] after = null;
    if (startAfter != null && !startAfter.isEmpty()) {
      after = keyBytes(startAfter);
      from = KeyRanges.max(p, KeyRanges.successor(after));
    }
    List<ListedObject> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    int count = 0;
    boolean truncated = false;
    // Rows of a rolled-up prefix are skipped within the page; a page that ends inside one seeks
    // past it (prefixEnd), so neither many small prefixes nor one huge prefix cost a scan. The
    // page size adapts: it halves while most rows read are skipped (each big prefix then costs a
    // seek and a few rows) and doubles while most are listed.
    int window = d == null ? 1000 : 16;
    scan:
    while (true) {
      int batch = Math.max(1, Math.min(window, maxKeys - count + 1));
      List<VersionedRecord> page = heads.range(b.id(), from, hi, batch);
      if (page.isEmpty()) {
        break;
      }
      byte[] rolled = null;
      int skipped = 0;
      for (VersionedRecord rec : page) {
        byte[] key = rec.key();
        if (rolled != null && KeyRanges.startsWith(key, rolled)) {
          skipped++;
          continue;
        }
        rolled = null;
        int cut = d == null ? -1 : KeyRanges.indexOf(key, d, p.length);
        if (cut >= 0) {
          byte[] cp = java.util.Arrays.copyOf(key, cut + d.length);
          rolled = cp;
          from = KeyRanges.prefixEnd(cp);
          // A common prefix at or before the start point was returned already (S3 continues a
          // delimiter listing after the NextMarker / token, which may be a common prefix).
          if (after == null || java.util.Arrays.compareUnsigned(cp, after) > 0) {
            if (count >= maxKeys) {
              truncated = true;
              break scan;
            }
            count++;
            last = new String(cp, StandardCharsets.UTF_8);
            prefixes.add(last);
          }
          if (from == null) {
            break scan;
          }
          continue;
        }
        ObjectHead h = ObjectHead.open(rec.value(), bucketKey, b.id(), key);
        if (!h.deleteMarker()) {
          if (count >= maxKeys) {
            truncated = true;
            break scan;
          }
          count++;
          last = new String(key, StandardCharsets.UTF_8);
          objects.add(new ListedObject(last, h.size(), h.etag(), h.lastModified()));
        }
        from = KeyRanges.successor(key);
      }
      if (page.size() < batch) {
        break;
      }
      window = skipped * 2 > page.size() ? Math.max(2, window / 2) : Math.min(1000, window * 2);
    }
    return new ListPage(objects, prefixes, truncated, truncated ? last : null);
  }
}
