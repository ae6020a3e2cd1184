package org.memos3.kv.bucket;

import org.memos3.kv.Codec;

/**
 * A bucket record: a random id (so a deleted name can be reused without seeing old data), owner,
 * creation time, versioning state and the bucket key wrapped by the master key.
 */
public record Bucket(
    String name,
    long id,
    String owner,
    long createdMillis,
    Versioning versioning,
    byte[] wrappedKey) {

  static final int FORMAT = 1;

  byte[] encode() {
    return new Codec.Writer()
        .u8(FORMAT)
        .str(name)
        .i64(id)
        .str(owner)
        .i64(createdMillis)
        .u8(versioning.ordinal())
        .bytes(wrappedKey)
        .toBytes();
  }

  static Bucket decode(byte[] data) {
    Codec.Reader r = new Codec.Reader(data);
    int format = r.u8();
    if (format != FORMAT) {
      throw Codec.corrupt("bucket record format " + format);
    }
    return new Bucket(r.str(), r.i64(), r.str(), r.i64(), Versioning.values()[r.u8()], r.bytes());
  }
}
