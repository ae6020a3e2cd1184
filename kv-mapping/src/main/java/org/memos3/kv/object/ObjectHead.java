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
 */
public record ObjectHead(
    byte[] writeId,
    String versionId,
    boolean deleteMarker,
    BlockAddress manifest,
    long size,
    String etag,
    long lastModified) {

  static final int FORMAT = 1;

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
            .toBytes();
    return Aead.seal(bucketKey, Aead.aad("head", key, bucketId), plain);
  }

  /** Decrypts a head (or noncurrent version) record of {@code key}. */
  public static ObjectHead open(byte[] sealed, byte[] bucketKey, long bucketId, byte[] key) {
    Codec.Reader r =
        new Codec.Reader(Aead.open(bucketKey, Aead.aad("head", key, bucketId), sealed));
    int format = r.u8();
    if (format != FORMAT) {
      throw Codec.corrupt("head format " + format);
    }
    byte[] writeId = r.bytes();
    String versionId = r.str();
    boolean dm = r.bool();
    byte[] m = r.bytes();
    return new ObjectHead(
        writeId,
        versionId,
        dm,
        m == null ? null : BlockAddress.fromBytes(m),
        r.i64(),
        r.str(),
        r.i64());
  }
}
