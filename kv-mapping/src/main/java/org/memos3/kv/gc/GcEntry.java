package org.memos3.kv.gc;

import java.nio.ByteBuffer;
import org.memos3.grid.block.BlockAddress;
import org.memos3.kv.Codec;
import org.memos3.kv.manifest.ManifestRef;

/**
 * A retired manifest waiting for the reaper: everything needed to free its blocks even after its
 * bucket is gone (the bucket key travels wrapped by the master key; an embedded manifest travels
 * whole). Key in the GC table: due time then write id, so the reaper reads entries in due order.
 */
public record GcEntry(
    long due,
    long bucketId,
    byte[] writeId,
    ManifestRef manifest,
    byte[] wrappedBucketKey,
    long size) {

  /** GC table group of retired manifests. */
  public static final long GROUP = 0;

  /** Format 2: the manifest as a {@link ManifestRef} (format 1 held a block address). */
  static final int FORMAT = 2;

  public byte[] key() {
    return ByteBuffer.allocate(8 + writeId.length).putLong(due).put(writeId).array();
  }

  public byte[] value() {
    Codec.Writer w = new Codec.Writer().u8(FORMAT).i64(bucketId).bytes(writeId);
    ManifestRef.write(w, manifest);
    return w.bytes(wrappedBucketKey).i64(size).toBytes();
  }

  public static GcEntry decode(byte[] key, byte[] value) {
    Codec.Reader r = new Codec.Reader(value);
    int format = r.u8();
    if (format != 1 && format != FORMAT) {
      throw Codec.corrupt("gc entry format " + format);
    }
    long due = ByteBuffer.wrap(key, 0, 8).getLong();
    long bucketId = r.i64();
    byte[] writeId = r.bytes();
    ManifestRef manifest =
        format == 1
            ? new ManifestRef.Stored(BlockAddress.fromBytes(r.bytes()))
            : ManifestRef.read(r);
    if (manifest == null) {
      throw Codec.corrupt("gc entry without a manifest");
    }
    return new GcEntry(due, bucketId, writeId, manifest, r.bytes(), r.i64());
  }
}
