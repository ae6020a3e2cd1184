package org.memos3.kv.multipart;

import java.util.Map;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;

/**
 * A multipart upload in progress: its id, key, owner, start time and the metadata given at
 * creation. {@code completingWriteId} is set while (or after, if a crash interrupted the clean-up)
 * a CompleteMultipartUpload commits the object with that write id.
 */
public record Upload(
    String uploadId,
    String key,
    String owner,
    long initiated,
    Map<String, String> headers,
    Map<String, String> userMetadata,
    byte[] completingWriteId) {

  static final int FORMAT = 1;

  boolean completing() {
    return completingWriteId != null;
  }

  Upload withCompleting(byte[] writeId) {
    return new Upload(uploadId, key, owner, initiated, headers, userMetadata, writeId);
  }

  byte[] seal(byte[] bucketKey, long bucketId) {
    byte[] plain =
        new Codec.Writer()
            .u8(FORMAT)
            .str(uploadId)
            .str(key)
            .str(owner)
            .i64(initiated)
            .map(headers)
            .map(userMetadata)
            .bytes(completingWriteId)
            .toBytes();
    return Aead.seal(bucketKey, aad(uploadId, bucketId), plain);
  }

  static Upload open(byte[] sealed, byte[] bucketKey, long bucketId, String uploadId) {
    Codec.Reader r = new Codec.Reader(Aead.open(bucketKey, aad(uploadId, bucketId), sealed));
    if (r.u8() != FORMAT) {
      throw Codec.corrupt("upload format");
    }
    return new Upload(r.str(), r.str(), r.str(), r.i64(), r.map(), r.map(), r.bytes());
  }

  private static byte[] aad(String uploadId, long bucketId) {
    return Aead.aad("upload", uploadId.getBytes(java.nio.charset.StandardCharsets.UTF_8), bucketId);
  }
}
