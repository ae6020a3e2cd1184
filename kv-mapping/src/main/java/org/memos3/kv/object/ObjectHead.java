package org.memos3.kv.object;

import java.util.Map;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;
import org.memos3.kv.manifest.ManifestRef;

/**
 * The current version of a key, as kept in the HEADS table (sealed under the bucket key, bound to
 * bucket id and key). Holds what listing needs (size, ETag, time) so that a listing never reads
 * manifests.
 *
 * @param writeId unique per write; binds manifest and chunks, and makes CAS retries idempotent
 * @param versionId the S3 version id ("null" in unversioned buckets)
 * @param manifest the manifest, as a block or embedded in this record; null for a delete marker
 * @param tags the version's tag set (mutable: PutObjectTagging rewrites the record by CAS)
 * @param lock the version's Object Lock state (mutable the same way), {@link ObjectLock#NONE} for
 *     none
 */
public record ObjectHead(
    byte[] writeId,
    String versionId,
    boolean deleteMarker,
    ManifestRef manifest,
    long size,
    String etag,
    long lastModified,
    Map<String, String> tags,
    ObjectLock lock) {

  /**
   * Format 2 added the tag set, format 3 embedded manifests (the manifest field became a kind byte
   * and an address or the sealed manifest); formats 1 and 2 still read. Format 4 is format 3 and
   * the Object Lock state, written only for a version that has one (so that every other record
   * stays readable by earlier builds).
   */
  static final int FORMAT = 3;

  static final int FORMAT_4 = 4;

  public ObjectHead {
    lock = lock == null ? ObjectLock.NONE : lock;
  }

  /** A head without an Object Lock state. */
  public ObjectHead(
      byte[] writeId,
      String versionId,
      boolean deleteMarker,
      ManifestRef manifest,
      long size,
      String etag,
      long lastModified,
      Map<String, String> tags) {
    this(writeId, versionId, deleteMarker, manifest, size, etag, lastModified, tags, null);
  }

  /** A head without tags. */
  public ObjectHead(
      byte[] writeId,
      String versionId,
      boolean deleteMarker,
      ManifestRef manifest,
      long size,
      String etag,
      long lastModified) {
    this(writeId, versionId, deleteMarker, manifest, size, etag, lastModified, Map.of());
  }

  public ObjectHead withTags(Map<String, String> newTags) {
    return new ObjectHead(
        writeId, versionId, deleteMarker, manifest, size, etag, lastModified, newTags, lock);
  }

  public ObjectHead withLock(ObjectLock newLock) {
    return new ObjectHead(
        writeId, versionId, deleteMarker, manifest, size, etag, lastModified, tags, newLock);
  }

  byte[] seal(byte[] bucketKey, long bucketId, byte[] key) {
    int room = 256 + (manifest instanceof ManifestRef.Embedded e ? e.bytes().length : 64);
    boolean locked = !lock.equals(ObjectLock.NONE);
    Codec.Writer w =
        new Codec.Writer(room)
            .u8(locked ? FORMAT_4 : FORMAT)
            .bytes(writeId)
            .str(versionId)
            .bool(deleteMarker);
    ManifestRef.write(w, manifest);
    w.i64(size).str(etag).i64(lastModified).map(tags);
    if (locked) {
      lock.write(w);
    }
    byte[] plain = w.toBytes();
    return Aead.seal(bucketKey, Aead.aad("head", key, bucketId), plain);
  }

  /** Decrypts a head (or noncurrent version) record of {@code key}. */
  public static ObjectHead open(byte[] sealed, byte[] bucketKey, long bucketId, byte[] key) {
    Codec.Reader r =
        new Codec.Reader(Aead.open(bucketKey, Aead.aad("head", key, bucketId), sealed));
    int format = r.u8();
    if (format < 1 || format > FORMAT_4) {
      throw Codec.corrupt("head format " + format);
    }
    byte[] writeId = r.bytes();
    String versionId = r.str();
    boolean dm = r.bool();
    ManifestRef manifest;
    if (format >= 3) {
      manifest = ManifestRef.read(r);
    } else {
      byte[] m = r.bytes();
      manifest = m == null ? null : new ManifestRef.Stored(BlockAddress.fromBytes(m));
    }
    long size = r.i64();
    String etag = r.str();
    long lastModified = r.i64();
    Map<String, String> tags = format >= 2 ? r.map() : Map.of();
    ObjectLock lock = format >= FORMAT_4 ? ObjectLock.read(r) : ObjectLock.NONE;
    return new ObjectHead(writeId, versionId, dm, manifest, size, etag, lastModified, tags, lock);
  }
}
