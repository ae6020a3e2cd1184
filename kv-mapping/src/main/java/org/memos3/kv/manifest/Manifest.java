package org.memos3.kv.manifest;

import java.util.List;
import java.util.Map;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;

/**
 * The immutable description of one object version: size, ETag, metadata, checksum, its data key,
 * and either the data inline (small objects) or the refs of its chunks. Refs point at chunks
 * ({@code depth == 0}) or at index blocks of up to {@link #FANOUT} chunk refs ({@code depth == 1}),
 * so no record grows with the object beyond a bounded fan-out. Stored sealed under the bucket key,
 * bound to the bucket id and write id.
 *
 * @param userMetadata {@code x-amz-meta-*} without the prefix
 * @param headers the standard headers stored with the object (content-type, cache-control...)
 * @param partNumber the part this manifest describes (0 for a whole single-PUT object)
 * @param parts the part manifests of a multipart object, in order; empty otherwise
 * @param customerKeyCheck for a version written with a client's key (SSE-C), the check value of
 *     that key ({@code CustomerKey.newCheck}), its chunks then sealed under a key derived from it;
 *     null otherwise
 */
public record Manifest(
    byte[] writeId,
    long size,
    String etag,
    long lastModified,
    Map<String, String> headers,
    Map<String, String> userMetadata,
    String checksumAlgorithm,
    String checksumValue,
    byte[] dataKey,
    byte[] inline,
    int depth,
    List<ChunkRef> refs,
    int partNumber,
    List<PartRef> parts,
    byte[] customerKeyCheck) {

  /** A manifest of a version written without a client's key. */
  public Manifest(
      byte[] writeId,
      long size,
      String etag,
      long lastModified,
      Map<String, String> headers,
      Map<String, String> userMetadata,
      String checksumAlgorithm,
      String checksumValue,
      byte[] dataKey,
      byte[] inline,
      int depth,
      List<ChunkRef> refs,
      int partNumber,
      List<PartRef> parts) {
    this(
        writeId,
        size,
        etag,
        lastModified,
        headers,
        userMetadata,
        checksumAlgorithm,
        checksumValue,
        dataKey,
        inline,
        depth,
        refs,
        partNumber,
        parts,
        null);
  }

  /** A part of a multipart object: its manifest block, write id (to open it) and size. */
  public record PartRef(BlockAddress manifest, byte[] writeId, long size, int partNumber) {}

  /** Chunk refs per manifest or index block. */
  public static final int FANOUT = 1024;

  static final int FORMAT = 1;

  /** Format 1 and the customer key check, written only for a version written with one. */
  static final int FORMAT_2 = 2;

  /** The length of a customer key check (a salt and an HMAC: {@code CustomerKey.newCheck}). */
  public static final int CUSTOMER_KEY_CHECK_LENGTH = 48;

  public byte[] seal(byte[] bucketKey, long bucketId) {
    // Sized for the inline body and the refs, so that the buffer does not grow by copies.
    int room = 512 + (inline == null ? 0 : inline.length) + 48 * (refs.size() + parts.size());
    Codec.Writer w =
        new Codec.Writer(room)
            .u8(customerKeyCheck == null ? FORMAT : FORMAT_2)
            .bytes(writeId)
            .i64(size)
            .str(etag)
            .i64(lastModified)
            .map(headers)
            .map(userMetadata)
            .str(checksumAlgorithm)
            .str(checksumValue)
            .bytes(dataKey)
            .bytes(inline)
            .u8(depth);
    writeRefs(w, refs);
    w.i32(partNumber).i32(parts.size());
    for (PartRef p : parts) {
      w.bytes(p.manifest().bytes()).bytes(p.writeId()).i64(p.size()).i32(p.partNumber());
    }
    if (customerKeyCheck != null) {
      w.bytes(customerKeyCheck);
    }
    return Aead.seal(bucketKey, aad(bucketId, writeId), w.toBytes());
  }

  public static Manifest open(byte[] sealed, byte[] bucketKey, long bucketId, byte[] writeId) {
    Codec.Reader r = new Codec.Reader(Aead.open(bucketKey, aad(bucketId, writeId), sealed));
    int format = r.u8();
    if (format != FORMAT && format != FORMAT_2) {
      throw Codec.corrupt("manifest format " + format);
    }
    Manifest m =
        new Manifest(
            r.bytes(),
            r.i64(),
            r.str(),
            r.i64(),
            r.map(),
            r.map(),
            r.str(),
            r.str(),
            r.bytes(),
            r.bytes(),
            r.u8(),
            readRefs(r),
            r.i32(),
            readParts(r),
            format == FORMAT_2 ? r.bytes() : null);
    if (format == FORMAT_2
        && (m.customerKeyCheck() == null
            || m.customerKeyCheck().length != CUSTOMER_KEY_CHECK_LENGTH
            || m.isInline())) {
      // A client's key never goes with an inline body (sealed under the bucket key alone).
      throw Codec.corrupt("bad customer key check");
    }
    return m;
  }

  private static List<PartRef> readParts(Codec.Reader r) {
    int n = r.i32();
    if (n < 0 || n > MAX_PARTS) {
      throw Codec.corrupt("part count " + n);
    }
    PartRef[] out = new PartRef[n];
    for (int i = 0; i < n; i++) {
      out[i] = new PartRef(BlockAddress.fromBytes(r.bytes()), r.bytes(), r.i64(), r.i32());
    }
    return List.of(out);
  }

  /** S3's limit of parts per upload. */
  public static final int MAX_PARTS = 10_000;

  /** True when the data lives in part manifests. */
  public boolean isMultipart() {
    return !parts.isEmpty();
  }

  static void writeRefs(Codec.Writer w, List<ChunkRef> refs) {
    w.i32(refs.size());
    for (ChunkRef c : refs) {
      w.bytes(c.address().bytes()).i64(c.plainLength());
    }
  }

  static List<ChunkRef> readRefs(Codec.Reader r) {
    int n = r.i32();
    if (n < 0 || n > FANOUT) {
      throw Codec.corrupt("ref count " + n);
    }
    ChunkRef[] out = new ChunkRef[n];
    for (int i = 0; i < n; i++) {
      out[i] = new ChunkRef(BlockAddress.fromBytes(r.bytes()), r.i64());
    }
    return List.of(out);
  }

  /** Associated data of a data chunk: binds it to its object version, part and position. */
  public static byte[] chunkAad(
      byte[] writeId, long bucketId, int part, long offset, int plainLen) {
    return Aead.aad("chunk", writeId, bucketId, part, offset, plainLen);
  }

  private static byte[] aad(long bucketId, byte[] writeId) {
    return Aead.aad("manifest", writeId, bucketId);
  }

  /** True when the manifest carries the data itself. */
  public boolean isInline() {
    return inline != null;
  }

  /** True when the data is one chunk, referenced from this manifest: one block read fetches it. */
  public boolean isOneChunk() {
    return inline == null && parts.isEmpty() && depth == 0 && refs.size() == 1;
  }
}
