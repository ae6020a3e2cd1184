package org.memos3.bench;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * The benchmark's object contents, generated on the fly and never held whole: byte {@code p} of the
 * object with seed {@code s} is {@code POOL[(p + s * 7919) mod POOL.length]}, where POOL is a fixed
 * pseudo-random (incompressible) pool of 1 MiB + 4099 bytes, so consecutive MiB differ.
 *
 * <p>Verification digests are MD5 of either every byte ({@code full}) or, cheaply, of the first 4
 * KiB of every MiB (every byte of objects up to 4 KiB), fed in stream order.
 */
final class Content {
  static final int POOL_SIZE = 1024 * 1024 + 4099;
  static final int SAMPLE_EVERY = 1024 * 1024;
  static final int SAMPLE_BYTES = 4096;
  private static final byte[] POOL = new byte[POOL_SIZE];

  static {
    new Random(0x6d656d6fL).nextBytes(POOL);
  }

  private Content() {}

  private static int start(long seed, long pos) {
    return (int) Math.floorMod(pos + seed * 7919L, (long) POOL_SIZE);
  }

  /** Copies {@code len} bytes of object {@code seed} starting at {@code pos} into {@code dst}. */
  static void fill(long seed, long pos, byte[] dst, int off, int len) {
    int p = start(seed, pos);
    while (len > 0) {
      int n = Math.min(len, POOL_SIZE - p);
      System.arraycopy(POOL, p, dst, off, n);
      off += n;
      len -= n;
      p = 0;
    }
  }

  static byte[] bytes(long seed, int size) {
    byte[] b = new byte[size];
    fill(seed, 0, b, 0, size);
    return b;
  }

  /** The digest a correct GET of object {@code seed} with {@code size} bytes produces. */
  static String expectedDigest(long seed, long size, boolean full) {
    Digest d = new Digest(full);
    byte[] buf = new byte[(int) Math.min(256 * 1024, size)]; // a small object: its size
    if (full) {
      for (long pos = 0; pos < size; pos += buf.length) {
        int n = (int) Math.min(buf.length, size - pos);
        fill(seed, pos, buf, 0, n);
        d.update(ByteBuffer.wrap(buf, 0, n));
      }
    } else {
      for (long pos = 0; pos < size; pos += SAMPLE_EVERY) {
        int n = (int) Math.min(SAMPLE_BYTES, size - pos);
        fill(seed, pos, buf, 0, n);
        d.update(ByteBuffer.wrap(buf, 0, n));
        if (pos + n < size) { // skip the rest of this MiB
          d.skip(Math.min(SAMPLE_EVERY - n, size - pos - n));
        }
      }
    }
    return d.hex();
  }

  /** MD5 of the bytes of a stream (all of them, or the sampled ones), fed in order. */
  static final class Digest {
    private final MessageDigest md5;
    private final boolean full;
    private long pos;

    Digest(boolean full) {
      this.full = full;
      try {
        this.md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    void update(ByteBuffer b) {
      ByteBuffer v = b.duplicate();
      if (full) {
        pos += v.remaining();
        md5.update(v);
        return;
      }
      while (v.hasRemaining()) {
        long inMib = pos % SAMPLE_EVERY;
        if (inMib < SAMPLE_BYTES) {
          int n = (int) Math.min(v.remaining(), SAMPLE_BYTES - inMib);
          ByteBuffer s = v.slice();
          s.limit(n);
          md5.update(s);
          v.position(v.position() + n);
          pos += n;
        } else {
          int n = (int) Math.min(v.remaining(), SAMPLE_EVERY - inMib);
          v.position(v.position() + n);
          pos += n;
        }
      }
    }

    void skip(long n) {
      pos += n;
    }

    long count() {
      return pos;
    }

    String hex() {
      return HexFormat.of().formatHex(md5.digest());
    }
  }
}
