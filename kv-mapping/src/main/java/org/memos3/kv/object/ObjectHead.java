package org.memos3.kv.object;

import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;

/**
 * The current version of a key, as kept in the HEADS table (sealed under the bucket key, bound to
 * bucket id and key). Holds what listing needs (size, ETag, time) so that a listing never reads
 * manifests.
 *
 * @param writeId unique per write; binds manifest and chunks, and makes CAS retries idempotent
 * @param versionId the S3 version id ("null" in unversioned buckets)
 * @param manifest the manifest block; null for a delete marker
 * @param tags the version's tag set (mutable: PutObjectTagging rewrites the record by CAS)
 */
public record ObjectHead(
    byte[] writeId,
    String versionId,
    boolean deleteMarker,
    BlockAddress manifest,
    long size,
    String etag,
    long lastModified,
    java.util.Map<String, String> tags) {

  /** Format 2 added the tag set; format 1 records read as untagged. */
  static final int FORMAT = 2;

  /** A head without tags. */
  public ObjectHead(
      byte[] writeId,
      String versionId,
      boolean deleteMarker,
      BlockAddress manifest,
      long size,
      String etag,
      long lastModified) {
    this(writeId, versionId, deleteMarker, manifest, size, etag, lastModified, java.util.Map.of());
  }

  public ObjectHead withTags(java.util.Map<String, String> newTags) {
    return new ObjectHead(
        writeId, versionId, deleteMarker, manifest, size, etag, lastModified, newTags);
  }

  byte[] seal(byte[] bucketKey, long bucketId, byte[] key) {
    byte[] plain =
        new Codec.Writer()
            .u8(FORMAT)
            .bytes(writeId)
            .str(versionId)
            .bool(deleteMarker)
            .bytes(manifest == null ? null : manifest.bytes())
            .i64(size)
            .str(etag)
            .i64(lastModified)
            .map(tags)
            .toBytes();
    return Aead.seal(bucketKey, Aead.aad("head", key, bucketId), plain);
  }

  /** Decrypts a head (or noncurrent version) record of {@code key}. */
  public static ObjectHead open(byte[] sealed, byte[] bucketKey, long bucketId, byte[] key) {
    Codec.Reader r =
        new Codec.Reader(Aead.open(bucketKey, Aead.aad("head", key, bucketId), sealed));
    int format = r.u8();
    if (format != 1 && format != FORMAT) {
      throw Codec.corrupt("head format " + format);
    }
    byte[] writeId = r.bytes();
    String versionId = r.str();
    boolean dm = r.bool();
    byte[] m = r.bytes();
    long size = r.i64();
    String etag = r.str();
    long lastModified = r.i64();
    java.util.Map<String, String> tags = format >= 2 ? r.map() : java.util.Map.of();
    return new ObjectHead(
        writeId,
        versionId,
        dm,
        m == null ? null : BlockAddress.fromBytes(m),
        size,
        etag,
        lastModified,
        tags);
  }
}
