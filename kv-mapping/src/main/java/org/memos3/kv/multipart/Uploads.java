package org.memos3.kv.multipart;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.memos3.grid.Grid;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.CasResult;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.kv.KvException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.list.KeyRanges;
import org.memos3.kv.manifest.Manifest;
import org.memos3.kv.manifest.ManifestRef;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectData;
import org.memos3.kv.object.ObjectHead;
import org.memos3.kv.object.ObjectLock;
import org.memos3.kv.object.ObjectStore;

/**
 * Multipart uploads: create, upload parts (a re-upload replaces the part), list, complete and
 * abort. Completion keeps the commit order: the upload is first marked as completing (no more
 * parts), then the object manifest is stored and the head CAS commits it in one step with a move of
 * the upload record (so an abort, which removes the record, either comes first and the completion
 * fails, or comes later and keeps the object's parts), then the upload's records are removed and
 * unused parts go to GC. The object's write id is derived from the upload id, so a repeated
 * completion recognises the version the first one committed once those records are gone ({@link
 * #completed}).
 */
public final class Uploads {
  /** S3's minimum size of every part but the last. */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Buckets buckets;
  private final ObjectStore objects;
  private final RecordTable uploads;
  private final RecordTable parts;
  private final Clock clock;
  private final UploadListing listing;

  public Uploads(Grid grid, Buckets buckets, ObjectStore objects, Clock clock) {
    this.buckets = buckets;
    this.objects = objects;
    this.uploads = grid.table(Table.UPLOADS);
    this.parts = grid.table(Table.PARTS);
    this.clock = clock;
    this.listing = new UploadListing(buckets, uploads);
  }

  static byte[] uploadKey(String key, String uploadId) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] u = uploadId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(k.length + 1 + u.length).put(k).put((byte) 0).put(u).array();
  }

  private static byte[] partKey(String uploadId, int partNumber) {
    byte[] u = uploadId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(u.length + 1 + 4).put(u).put((byte) 0).putInt(partNumber).array();
  }

  private static byte[] partPrefix(String uploadId) {
    byte[] u = uploadId.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(u, u.length + 1);
  }

  /** Starts an upload; ids sort by creation time, as S3 lists uploads of one key. */
  public Upload create(
      String bucket,
      String key,
      Map<String, String> headers,
      Map<String, String> userMetadata,
      String owner) {
    return create(
        bucket, key, headers, userMetadata, owner, null, null, Map.of(), ObjectLock.NONE, null);
  }

  /**
   * Starts an upload whose parts carry {@code checksumAlgorithm} checksums and whose object gets a
   * COMPOSITE or FULL_OBJECT checksum ({@code checksumType}; both null for none), with the tag set
   * and Object Lock state the completed object carries (validated by the caller), its parts written
   * with the client's key {@code customerKey} (SSE-C; null for none), which the upload record
   * recognizes by a check value.
   */
  public Upload create(
      String bucket,
      String key,
      Map<String, String> headers,
      Map<String, String> userMetadata,
      String owner,
      String checksumAlgorithm,
      String checksumType,
      Map<String, String> tags,
      ObjectLock lock,
      CustomerKey customerKey) {
    Bucket b = buckets.require(bucket);
    byte[] r = new byte[10];
    RANDOM.nextBytes(r);
    long now = clock.millis();
    String id = String.format("%012x", now) + HexFormat.of().formatHex(r);
    Upload u =
        new Upload(
            id,
            key,
            owner,
            now,
            headers,
            userMetadata,
            null,
            checksumAlgorithm,
            checksumType,
            tags,
            lock,
            customerKey == null ? null : customerKey.newCheck());
    uploads.compareAndSet(b.id(), uploadKey(key, id), 0, u.seal(buckets.keyOf(b), b.id()));
    return u;
  }

  private record Versioned(long version, Upload upload) {}

  private Optional<Versioned> find(Bucket b, String key, String uploadId) {
    return uploads
        .get(b.id(), uploadKey(key, uploadId))
        .map(
            r ->
                new Versioned(
                    r.version(), Upload.open(r.value(), buckets.keyOf(b), b.id(), uploadId)));
  }

  private Versioned requireLive(Bucket b, String key, String uploadId) {
    Versioned v =
        find(b, key, uploadId)
            .orElseThrow(
                () -> new KvException(KvException.Reason.NO_SUCH_UPLOAD, "no such upload"));
    if (v.upload().completing()) {
      throw new KvException(KvException.Reason.NO_SUCH_UPLOAD, "upload is completing");
    }
    return v;
  }

  /** The upload, if it exists and is not being completed. */
  public Upload require(String bucket, String key, String uploadId) {
    return requireLive(buckets.require(bucket), key, uploadId).upload();
  }

  /** A part is written with the upload's client key (SSE-C), or without one if it has none. */
  private static void checkPartKey(byte[] check, CustomerKey given) {
    if (check == null && given != null) {
      throw new KvException(
          KvException.Reason.CUSTOMER_KEY_NOT_APPLICABLE,
          "The multipart upload initiate did not request encryption; subsequent part requests"
              + " must not include encryption parameters.");
    }
    if (check != null && given == null) {
      throw new KvException(
          KvException.Reason.CUSTOMER_KEY_REQUIRED,
          "The multipart upload initiate requested encryption. Subsequent part requests must"
              + " include the appropriate encryption parameters.");
    }
    if (check != null && !given.matches(check)) {
      throw new KvException(
          KvException.Reason.CUSTOMER_KEY_NOT_APPLICABLE,
          "The provided encryption parameters did not match the ones used originally.");
    }
  }

  /** Stores a part; a part with the same number is replaced (last writer wins). */
  public Part uploadPart(
      String bucket, String key, String uploadId, int partNumber, ObjectData data)
      throws IOException {
    Bucket b = buckets.require(bucket);
    Upload u = requireLive(b, key, uploadId).upload();
    checkPartKey(u.customerKeyCheck(), data.customerKey());
    Manifest m = objects.storeData(b, data, partNumber);
    BlockAddress manifest = objects.storeManifest(b, m);
    Part p =
        new Part(
            partNumber,
            m.etag(),
            m.size(),
            m.lastModified(),
            manifest,
            m.writeId(),
            m.checksumAlgorithm(),
            m.checksumValue());
    byte[] k = partKey(uploadId, partNumber);
    byte[] sealed = p.seal(buckets.keyOf(b), b.id(), uploadId);
    while (true) {
      Optional<VersionedRecord> cur = parts.get(b.id(), k);
      long expected = cur.map(VersionedRecord::version).orElse(0L);
      if (parts.compareAndSet(b.id(), k, expected, sealed).applied()) {
        cur.ifPresent(
            old -> {
              Part replaced =
                  Part.open(old.value(), buckets.keyOf(b), b.id(), uploadId, partNumber);
              objects.retire(
                  b,
                  replaced.writeId(),
                  new ManifestRef.Stored(replaced.manifest()),
                  replaced.size());
            });
        break;
      }
    }
    // An abort or completion may have raced with this part: make sure it is not orphaned.
    if (find(b, key, uploadId).map(v -> v.upload().completing()).orElse(true)) {
      throw new KvException(KvException.Reason.NO_SUCH_UPLOAD, "upload ended during the part");
    }
    return p;
  }

  /** Parts in number order after {@code marker}, at most {@code max}. */
  public List<Part> listParts(String bucket, String key, String uploadId, int marker, int max) {
    Bucket b = buckets.require(bucket);
    requireLive(b, key, uploadId);
    return readParts(b, uploadId, marker, max);
  }

  private List<Part> readParts(Bucket b, String uploadId, int marker, int max) {
    byte[] prefix = partPrefix(uploadId);
    byte[] from = partKey(uploadId, marker + 1);
    List<Part> out = new ArrayList<>();
    for (VersionedRecord r : parts.range(b.id(), from, KeyRanges.prefixEnd(prefix), max)) {
      int n = ByteBuffer.wrap(r.key(), r.key().length - 4, 4).getInt();
      out.add(Part.open(r.value(), buckets.keyOf(b), b.id(), uploadId, n));
    }
    return out;
  }

  private List<Part> allParts(Bucket b, String uploadId) {
    List<Part> all = new ArrayList<>();
    int marker = 0;
    while (true) {
      List<Part> page = readParts(b, uploadId, marker, 1000);
      all.addAll(page);
      if (page.size() < 1000) {
        return all;
      }
      marker = page.get(page.size() - 1).partNumber();
    }
  }

  /** A part named in CompleteMultipartUpload, with the checksum the client gives for it. */
  public record CompletedPart(int partNumber, String etag, String checksum) {
    public CompletedPart(int partNumber, String etag) {
      this(partNumber, etag, null);
    }
  }

  /** Computes the object checksum (algorithm, value) from the chosen parts, if there is one. */
  @FunctionalInterface
  public interface ObjectChecksum {
    java.util.Optional<Map.Entry<String, String>> of(Upload upload, List<Part> parts);
  }

  /** Completes an upload into the current version of its key, with the upload's tags. */
  public ObjectHead complete(
      String bucket, String key, String uploadId, List<CompletedPart> chosen, Conditions cond) {
    return complete(bucket, key, uploadId, chosen, cond, (u, p) -> java.util.Optional.empty());
  }

  /**
   * Completes an upload into the current version of its key; {@code checksum} gives the object's
   * checksum from the chosen parts (the key-value layer knows no checksum algorithm).
   */
  public ObjectHead complete(
      String bucket,
      String key,
      String uploadId,
      List<CompletedPart> chosen,
      Conditions cond,
      ObjectChecksum checksum) {
    Bucket b = buckets.require(bucket);
    Versioned v = requireLive(b, key, uploadId);
    if (chosen.isEmpty()) {
      throw new KvException(KvException.Reason.INVALID_PART, "no parts");
    }
    Map<Integer, Part> stored = new java.util.HashMap<>();
    for (Part p : allParts(b, uploadId)) {
      stored.put(p.partNumber(), p);
    }
    List<Manifest.PartRef> refs = new ArrayList<>();
    long size = 0;
    // S3 checks the order first, then that every part exists, then the sizes.
    int last = 0;
    for (CompletedPart c : chosen) {
      if (c.partNumber() <= last) {
        throw new KvException(KvException.Reason.INVALID_PART_ORDER, "parts not ascending");
      }
      last = c.partNumber();
    }
    List<Part> picked = new ArrayList<>();
    for (CompletedPart c : chosen) {
      Part p = stored.get(c.partNumber());
      if (p == null || c.etag() == null || !p.etag().equals(c.etag())) {
        throw new KvException(KvException.Reason.INVALID_PART, "part " + c.partNumber());
      }
      if (c.checksum() != null && !c.checksum().equals(p.checksumValue())) {
        throw new KvException(
            KvException.Reason.INVALID_PART, "checksum of part " + c.partNumber() + " differs");
      }
      picked.add(p);
    }
    for (int i = 0; i < picked.size(); i++) {
      Part p = picked.get(i);
      if (i < picked.size() - 1 && p.size() < MIN_PART_SIZE) {
        throw new KvException(KvException.Reason.ENTITY_TOO_SMALL, "part " + p.partNumber());
      }
      refs.add(new Manifest.PartRef(p.manifest(), p.writeId(), p.size(), p.partNumber()));
      size += p.size();
    }
    // Every chosen ETag equals its stored part's (checked above): the object's is theirs hashed.
    String etag =
        etagOf(chosen)
            .orElseThrow(() -> new KvException(KvException.Reason.INVALID_PART, "part ETag"));
    byte[] writeId = completionWriteId(uploadId);
    Upload u = v.upload();
    java.util.Optional<Map.Entry<String, String>> objectChecksum = checksum.of(u, picked);
    // Mark the upload as completing before the commit point: no part may be uploaded any more.
    Upload completing = u.withCompleting(writeId);
    CasResult marked =
        uploads.compareAndSet(
            b.id(),
            uploadKey(key, uploadId),
            v.version(),
            completing.seal(buckets.keyOf(b), b.id()));
    if (!marked.applied()) {
      throw new KvException(KvException.Reason.NO_SUCH_UPLOAD, "upload changed concurrently");
    }
    Manifest m =
        new Manifest(
            writeId,
            size,
            etag,
            clock.millis(),
            u.headers(),
            u.userMetadata(),
            objectChecksum.map(Map.Entry::getKey).orElse(null),
            objectChecksum.map(Map.Entry::getValue).orElse(null),
            null,
            null,
            0,
            List.of(),
            0,
            refs,
            u.customerKeyCheck());
    // The head CAS moves the completing record along (v+1 to v+2, same value) in the same step:
    // an abort that removed the record first makes this commit fail, and one that comes later
    // finds the record moved and leaves the parts alone.
    byte[] recordKey = uploadKey(key, uploadId);
    byte[] completingValue = completing.seal(buckets.keyOf(b), b.id());
    Cas moved = new Cas(Table.UPLOADS, b.id(), recordKey, v.version() + 1, completingValue);
    Set<BlockAddress> used = new HashSet<>();
    refs.forEach(r -> used.add(r.manifest()));
    ObjectHead head;
    try {
      head = objects.commitTogether(b, key, m, cond, u.tags(), u.lock(), moved);
    } catch (RuntimeException e) {
      // The outcome is the record's: moved, the object was committed (and the commit failed
      // after its head CAS, writing a GC entry); still at v+1, it was not, and the upload goes
      // back to live so the client may retry or abort. If the record cannot be read, it stays
      // completing: an abort later decides by the object's write id.
      Optional<VersionedRecord> now;
      try {
        now = uploads.get(b.id(), recordKey);
      } catch (RuntimeException unknown) {
        e.addSuppressed(unknown);
        throw e;
      }
      long at = now.map(VersionedRecord::version).orElse(-1L);
      if (at == v.version() + 2) {
        cleanUp(b, completing, at, used);
        Optional<ObjectStore.VersionEntry> landed =
            versionWritten(b, key, List.of(writeId), Long.MIN_VALUE);
        if (landed.isPresent()) {
          return landed.get().head();
        }
      } else if (at == v.version() + 1) {
        uploads.compareAndSet(b.id(), recordKey, at, u.seal(buckets.keyOf(b), b.id()));
      }
      throw e;
    }
    cleanUp(b, completing, v.version() + 2, used);
    return head;
  }

  /**
   * The write id of the object that completing {@code uploadId} commits. Not random, unlike every
   * other write id: {@link #completed} finds that object by it after the upload's records are gone.
   * Still unique per write, since one upload commits at most one object (an attempt rolled back
   * committed nothing).
   */
  static byte[] completionWriteId(String uploadId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("memo-s3 multipart completion\0".getBytes(StandardCharsets.US_ASCII));
      sha.update(uploadId.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(sha.digest(), 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * For a CompleteMultipartUpload repeated after one that succeeded (S3 answers it as the first):
   * the version of {@code key} that completing {@code uploadId} committed, while it is still the
   * current version or a noncurrent one, and only if {@code chosen} names parts with the same ETags
   * (the object's ETag is the MD5 of theirs). Empty while the upload is live, and when that version
   * is gone or the parts differ.
   */
  public Optional<ObjectStore.VersionView> completed(
      String bucket, String key, String uploadId, List<CompletedPart> chosen) {
    Bucket b = buckets.require(bucket);
    Optional<Versioned> record = find(b, key, uploadId);
    if (record.isPresent() && !record.get().upload().completing()) {
      return Optional.empty();
    }
    Optional<String> etag = etagOf(chosen);
    if (etag.isEmpty()) {
      return Optional.empty();
    }
    // A record left completing (a crash before its clean-up, or a completion from before write ids
    // were derived) names the write id itself.
    List<byte[]> writeIds = new ArrayList<>();
    writeIds.add(completionWriteId(uploadId));
    record.ifPresent(r -> writeIds.add(r.upload().completingWriteId()));
    // A completion's version is younger than its upload (clocks of a cluster's nodes may differ
    // a little: a minute of slack); older versions end the search.
    return versionWritten(b, key, writeIds, createdAt(uploadId) - 60_000)
        .filter(v -> !v.head().deleteMarker() && v.head().etag().equals(etag.get()))
        .flatMap(v -> objects.findVersion(b, key, v.head().versionId()));
  }

  /** The multipart ETag of {@code chosen}; empty when one of theirs is not an MD5 in hex. */
  private static Optional<String> etagOf(List<CompletedPart> chosen) {
    MessageDigest md5 = md5();
    for (CompletedPart c : chosen) {
      if (c.etag() == null || !c.etag().matches("[0-9a-fA-F]{32}")) {
        return Optional.empty();
      }
      md5.update(HexFormat.of().parseHex(c.etag()));
    }
    return Optional.of(HexFormat.of().formatHex(md5.digest()) + "-" + chosen.size());
  }

  /**
   * The version of {@code key} written as {@code writeId}, current or noncurrent, read page by page
   * newest first until found; versions last modified before {@code notBefore} end the search
   * (Long.MIN_VALUE: never, for an abort, which must not miss the version).
   */
  private Optional<ObjectStore.VersionEntry> versionWritten(
      Bucket b, String key, List<byte[]> writeIds, long notBefore) {
    String keyMarker = null;
    String versionMarker = null;
    while (true) {
      ObjectStore.VersionsPage page =
          objects.listVersions(b.name(), key, null, keyMarker, versionMarker, 1000);
      for (ObjectStore.VersionEntry e : page.versions()) {
        if (!e.key().equals(key) || e.head().lastModified() < notBefore) {
          // Keys come in byte order and key is the first with its prefix: the rest are longer.
          return Optional.empty();
        }
        if (writeIds.stream().anyMatch(w -> Arrays.equals(w, e.head().writeId()))) {
          return Optional.of(e);
        }
      }
      if (!page.truncated()) {
        return Optional.empty();
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }

  /** When the upload {@code uploadId} was created (its id starts with the time in hex), or 0. */
  private static long createdAt(String uploadId) {
    try {
      return uploadId.length() >= 12 ? Long.parseLong(uploadId.substring(0, 12), 16) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Aborts an upload: its records go, and its parts' blocks go to GC. An upload left completing
   * (its completion interrupted, or still running) keeps the parts of the object its completion
   * committed, found among the key's versions by write id; a completion still running fails, since
   * its commit must move the record this removes.
   */
  public void abort(String bucket, String key, String uploadId) {
    Bucket b = buckets.require(bucket);
    Versioned v =
        find(b, key, uploadId)
            .orElseThrow(
                () -> new KvException(KvException.Reason.NO_SUCH_UPLOAD, "no such upload"));
    Set<BlockAddress> used = new HashSet<>();
    if (v.upload().completing()) {
      byte[] writeId = v.upload().completingWriteId();
      Optional<ObjectStore.VersionEntry> landed =
          versionWritten(b, key, List.of(writeId), Long.MIN_VALUE);
      if (landed.isPresent()) {
        objects
            .findVersion(b, key, landed.get().head().versionId())
            .ifPresent(o -> o.object().manifest().parts().forEach(r -> used.add(r.manifest())));
      }
    }
    cleanUp(b, v.upload(), v.version(), used);
  }

  /**
   * Removes an upload's records, if its record is still at {@code version} (else whoever moved or
   * removed it does this), and retires to GC every part not in {@code used} (the part manifests of
   * the object a completion committed). A part retired twice (its object deleted meanwhile) is
   * freed once.
   */
  private void cleanUp(Bucket b, Upload u, long version, Set<BlockAddress> used) {
    if (!uploads.compareAndSet(b.id(), uploadKey(u.key(), u.uploadId()), version, null).applied()) {
      return;
    }
    for (Part p : allParts(b, u.uploadId())) {
      byte[] k = partKey(u.uploadId(), p.partNumber());
      parts.get(b.id(), k).ifPresent(r -> parts.compareAndSet(b.id(), k, r.version(), null));
      if (!used.contains(p.manifest())) {
        objects.retire(b, p.writeId(), new ManifestRef.Stored(p.manifest()), p.size());
      }
    }
  }

  /**
   * One page of ListMultipartUploads: uploads and rolled-up prefixes, and where the next page
   * starts (the last key or prefix, and the last upload's id when an upload ends the page).
   */
  public record UploadsPage(
      List<Upload> uploads,
      List<String> commonPrefixes,
      boolean truncated,
      String nextKeyMarker,
      String nextUploadIdMarker) {}

  /** Live uploads in key order (then creation order), after the markers, with a prefix. */
  public UploadsPage list(
      String bucket, String prefix, String keyMarker, String uploadIdMarker, int max) {
    return list(bucket, prefix, null, keyMarker, uploadIdMarker, max);
  }

  /**
   * Live uploads in key order (then creation order) after the markers, of keys starting with {@code
   * prefix}, keys rolled up at {@code delimiter} (null for none) into common prefixes; at most
   * {@code max} uploads and prefixes together, as S3 counts them ({@link UploadListing}).
   */
  public UploadsPage list(
      String bucket,
      String prefix,
      String delimiter,
      String keyMarker,
      String uploadIdMarker,
      int max) {
    return listing.page(buckets.require(bucket), prefix, delimiter, keyMarker, uploadIdMarker, max);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
