package org.memos3.kv.multipart;

import java.util.Map;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectLock;

/**
 * A multipart upload in progress: its id, key, owner, start time and the metadata given at
 * creation. {@code completingWriteId} is set while (or after, if a crash interrupted the clean-up)
 * a CompleteMultipartUpload commits the object with that write id.
 *
 * @param tags the tag set given at creation ({@code x-amz-tagging}), which the completed object
 *     carries; empty for none
 * @param lock the Object Lock state given at creation ({@code x-amz-object-lock-*}), which the
 *     completed object carries
 * @param customerKeyCheck the check value of the client's key the upload was created with (SSE-C),
 *     which every part must be written with too; null for none
 */
public record Upload(
    String uploadId,
    String key,
    String owner,
    long initiated,
    Map<String, String> headers,
    Map<String, String> userMetadata,
    byte[] completingWriteId,
    String checksumAlgorithm,
    String checksumType,
    Map<String, String> tags,
    ObjectLock lock,
    byte[] customerKeyCheck) {

  /**
   * Format 2 added the checksum algorithm and type, format 3 the tag set; older records have none.
   * Format 4 is format 3 and an Object Lock state, written only for an upload given one.
   */
  static final int FORMAT = 3;

  static final int FORMAT_4 = 4;

  /** Format 4 (its lock possibly none) and a customer key check, for an SSE-C upload only. */
  static final int FORMAT_5 = 5;

  public Upload {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    lock = lock == null ? ObjectLock.NONE : lock;
  }

  /** An upload without an Object Lock state or a customer key. */
  public Upload(
      String uploadId,
      String key,
      String owner,
      long initiated,
      Map<String, String> headers,
      Map<String, String> userMetadata,
      byte[] completingWriteId,
      String checksumAlgorithm,
      String checksumType,
      Map<String, String> tags) {
    this(
        uploadId,
        key,
        owner,
        initiated,
        headers,
        userMetadata,
        completingWriteId,
        checksumAlgorithm,
        checksumType,
        tags,
        null,
        null);
  }

  boolean completing() {
    return completingWriteId != null;
  }

  Upload withCompleting(byte[] writeId) {
    return new Upload(
        uploadId,
        key,
        owner,
        initiated,
        headers,
        userMetadata,
        writeId,
        checksumAlgorithm,
        checksumType,
        tags,
        lock,
        customerKeyCheck);
  }

  byte[] seal(byte[] bucketKey, long bucketId) {
    boolean locked = !lock.equals(ObjectLock.NONE);
    Codec.Writer w =
        new Codec.Writer()
            .u8(customerKeyCheck != null ? FORMAT_5 : locked ? FORMAT_4 : FORMAT)
            .str(uploadId)
            .str(key)
            .str(owner)
            .i64(initiated)
            .map(headers)
            .map(userMetadata)
            .bytes(completingWriteId)
            .str(checksumAlgorithm)
            .str(checksumType)
            .map(tags);
    if (locked || customerKeyCheck != null) {
      lock.write(w);
    }
    if (customerKeyCheck != null) {
      w.bytes(customerKeyCheck);
    }
    byte[] plain = w.toBytes();
    return Aead.seal(bucketKey, aad(uploadId, bucketId), plain);
  }

  static Upload open(byte[] sealed, byte[] bucketKey, long bucketId, String uploadId) {
    Codec.Reader r = new Codec.Reader(Aead.open(bucketKey, aad(uploadId, bucketId), sealed));
    int format = r.u8();
    if (format < 1 || format > FORMAT_5) {
      throw Codec.corrupt("upload format " + format);
    }
    String id = r.str();
    String key = r.str();
    String owner = r.str();
    long initiated = r.i64();
    Map<String, String> headers = r.map();
    Map<String, String> user = r.map();
    byte[] completing = r.bytes();
    String alg = format >= 2 ? r.str() : null;
    String type = format >= 2 ? r.str() : null;
    Map<String, String> tags = format >= 3 ? r.map() : Map.of();
    ObjectLock lock = format >= FORMAT_4 ? ObjectLock.read(r) : ObjectLock.NONE;
    byte[] check = format >= FORMAT_5 ? r.bytes() : null;
    if (format >= FORMAT_5 && (check == null || check.length != CustomerKey.CHECK_LENGTH)) {
      throw Codec.corrupt("bad customer key check");
    }
    return new Upload(
        id, key, owner, initiated, headers, user, completing, alg, type, tags, lock, check);
  }

  private static byte[] aad(String uploadId, long bucketId) {
    return Aead.aad("upload", uploadId.getBytes(java.nio.charset.StandardCharsets.UTF_8), bucketId);
  }
}
