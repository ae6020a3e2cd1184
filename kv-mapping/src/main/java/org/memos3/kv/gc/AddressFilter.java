package org.memos3.kv.gc;

import org.memos3.grid.block.BlockAddress;

/**
 * A Bloom filter of block addresses: the sweep's set of reachable blocks in about 10 bits per block
 * (1.25 bytes; a hash set took about 100) with no false negatives and about 1% false positives. A
 * false positive only keeps a garbage block until a later sweep, whose filter has another seed.
 * Addresses end in a SHA-256, so their bytes are uniform already: two 64-bit words of it, mixed
 * with the seed, give the probe positions (double hashing).
 */
final class AddressFilter {
  private static final int PROBES = 7;
  private static final int BITS_PER_ENTRY = 10;

  /** At most 2^31 bits (256 MiB): beyond about 200 million blocks the false positives rise. */
  private static final long MAX_BITS = 1L << 31;

  private final long[] words;
  private final long bits;
  private final long seed;

  /** A filter sized for {@code expected} addresses. */
  AddressFilter(long expected, long seed) {
    long want = Math.max(64, Math.min(MAX_BITS, Math.max(1, expected) * BITS_PER_ENTRY));
    this.words = new long[(int) ((want + 63) >>> 6)];
    this.bits = (long) words.length << 6;
    this.seed = seed;
  }

  void add(BlockAddress a) {
    byte[] b = a.bytes();
    long h1 = word(b, 1) ^ seed;
    long h2 = (word(b, 9) ^ Long.rotateLeft(seed, 29)) | 1;
    for (int i = 0; i < PROBES; i++) {
      long bit = Math.floorMod(h1 + i * h2, bits);
      words[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  /** False only for an address never added. */
  boolean mightContain(BlockAddress a) {
    byte[] b = a.bytes();
    long h1 = word(b, 1) ^ seed;
    long h2 = (word(b, 9) ^ Long.rotateLeft(seed, 29)) | 1;
    for (int i = 0; i < PROBES; i++) {
      long bit = Math.floorMod(h1 + i * h2, bits);
      if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Size of the bit array in bytes. */
  long bytes() {
    return (long) words.length * 8;
  }

  private static long word(byte[] b, int from) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[from + i] & 0xFF);
    }
    return v;
  }
}
