package org.memos3.compat;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A deterministic pseudo-random byte stream of any length, generated on the fly: byte {@code p} of
 * stream {@code seed} is byte {@code p % 8} (little-endian) of SplitMix64 of word {@code p / 8}.
 * Any range can be produced on its own ({@link #range}), so a multipart upload can cut one logical
 * object into parts, and a retried part gets the same bytes again. Nothing is ever held in memory
 * beyond the caller's buffer.
 */
final class GeneratedBody extends InputStream {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long seed;
  private long position;
  private final long end;

  private GeneratedBody(long seed, long offset, long length) {
    this.seed = seed;
    this.position = offset;
    this.end = offset + length;
  }

  /** Bytes {@code [offset, offset + length)} of stream {@code seed}. */
  static InputStream range(long seed, long offset, long length) {
    return new GeneratedBody(seed, offset, length);
  }

  private long word(long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public int read() {
    if (position >= end) {
      return -1;
    }
    int b = (int) (word(position >>> 3) >>> ((position & 7) * 8)) & 0xff;
    position++;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (position >= end) {
      return -1;
    }
    int n = (int) Math.min(len, end - position);
    int i = 0;
    // Unaligned head and tail byte by byte, whole words in between.
    while (i < n && (position & 7) != 0) {
      b[off + i++] = (byte) (word(position >>> 3) >>> ((position & 7) * 8));
      position++;
    }
    while (n - i >= 8) {
      LONGS.set(b, off + i, word(position >>> 3));
      i += 8;
      position += 8;
    }
    while (i < n) {
      b[off + i++] = (byte) (word(position >>> 3) >>> ((position & 7) * 8));
      position++;
    }
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.max(0, Math.min(n, end - position));
    position += s;
    return s;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
