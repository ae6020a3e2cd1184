package org.memos3.kv.gc;

import java.nio.ByteBuffer;
import org.memos3.grid.block.BlockAddress;
import org.memos3.kv.Codec;

/**
 * A retired manifest waiting for the reaper: everything needed to free its blocks even after its
 * bucket is gone (the bucket key travels wrapped by the master key). Key in the GC table: due time
 * then write id, so the reaper reads entries in due order.
 */
public record GcEntry(
    long due,
    long bucketId,
    byte[] writeId,
    BlockAddress manifest,
    byte[] wrappedBucketKey,
    long size) {

  /** GC table group of retired manifests. */
  public static final long GROUP = 0;

  static final int FORMAT = 1;

  public byte[] key() {
    return ByteBuffer.allocate(8 + writeId.length).putLong(due).put(writeId).array();
  }

  public byte[] value() {
    return new Codec.Writer()
        .u8(FORMAT)
        .i64(bucketId)
        .bytes(writeId)
        .bytes(manifest.bytes())
        .bytes(wrappedBucketKey)
        .i64(size)
        .toBytes();
  }

  public static GcEntry decode(byte[] key, byte[] value) {
    Codec.Reader r = new Codec.Reader(value);
    if (r.u8() != FORMAT) {
      throw Codec.corrupt("gc entry format");
    }
    long due = ByteBuffer.wrap(key, 0, 8).getLong();
    return new GcEntry(
        due, r.i64(), r.bytes(), BlockAddress.fromBytes(r.bytes()), r.bytes(), r.i64());
  }
}
