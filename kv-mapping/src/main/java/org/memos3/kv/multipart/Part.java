package org.memos3.kv.multipart;

import java.nio.charset.StandardCharsets;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;

/** One uploaded part: number, ETag, size, time, and the part manifest holding its data. */
public record Part(
    int partNumber,
    String etag,
    long size,
    long lastModified,
    BlockAddress manifest,
    byte[] writeId,
    String checksumAlgorithm,
    String checksumValue) {

  static final int FORMAT = 1;

  byte[] seal(byte[] bucketKey, long bucketId, String uploadId) {
    byte[] plain =
        new Codec.Writer()
            .u8(FORMAT)
            .i32(partNumber)
            .str(etag)
            .i64(size)
            .i64(lastModified)
            .bytes(manifest.bytes())
            .bytes(writeId)
            .str(checksumAlgorithm)
            .str(checksumValue)
            .toBytes();
    return Aead.seal(bucketKey, aad(uploadId, partNumber, bucketId), plain);
  }

  static Part open(byte[] sealed, byte[] bucketKey, long bucketId, String uploadId, int number) {
    Codec.Reader r =
        new Codec.Reader(Aead.open(bucketKey, aad(uploadId, number, bucketId), sealed));
    if (r.u8() != FORMAT) {
      throw Codec.corrupt("part format");
    }
    return new Part(
        r.i32(),
        r.str(),
        r.i64(),
        r.i64(),
        BlockAddress.fromBytes(r.bytes()),
        r.bytes(),
        r.str(),
        r.str());
  }

  /** Decrypts a PARTS table row (key = upload id, 0, part number). */
  public static Part fromRow(byte[] rowKey, byte[] value, byte[] bucketKey, long bucketId) {
    int n = java.nio.ByteBuffer.wrap(rowKey, rowKey.length - 4, 4).getInt();
    String uploadId = new String(rowKey, 0, rowKey.length - 5, StandardCharsets.UTF_8);
    return open(value, bucketKey, bucketId, uploadId, n);
  }

  private static byte[] aad(String uploadId, int partNumber, long bucketId) {
    return Aead.aad("part", uploadId.getBytes(StandardCharsets.UTF_8), bucketId, partNumber);
  }
}
