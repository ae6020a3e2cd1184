package org.memos3.auth.checksum;

/**
 * CRC-64/NVME (reflected polynomial {@code 0x9a6c9329ac4bc9b5}, initial value and final xor all
 * ones), computed with slicing-by-8 tables. Owns only its running value; not thread-safe.
 */
final class Crc64Nvme implements StreamingChecksum {
  private static final long POLY = 0x9a6c9329ac4bc9b5L;
  private static final long[][] TABLE = new long[8][256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
      }
      TABLE[0][i] = crc;
    }
    for (int i = 0; i < 256; i++) {
      for (int t = 1; t < 8; t++) {
        long prev = TABLE[t - 1][i];
        TABLE[t][i] = (prev >>> 8) ^ TABLE[0][(int) (prev & 0xff)];
      }
    }
  }

  private long crc = ~0L;

  @Override
  public void update(byte[] b, int off, int len) {
    long c = crc;
    int i = off;
    int end = off + len;
    while (end - i >= 8) {
      long x =
          c
              ^ ((b[i] & 0xffL)
                  | (b[i + 1] & 0xffL) << 8
                  | (b[i + 2] & 0xffL) << 16
                  | (b[i + 3] & 0xffL) << 24
                  | (b[i + 4] & 0xffL) << 32
                  | (b[i + 5] & 0xffL) << 40
                  | (b[i + 6] & 0xffL) << 48
                  | (b[i + 7] & 0xffL) << 56);
      c =
          TABLE[7][(int) (x & 0xff)]
              ^ TABLE[6][(int) ((x >>> 8) & 0xff)]
              ^ TABLE[5][(int) ((x >>> 16) & 0xff)]
              ^ TABLE[4][(int) ((x >>> 24) & 0xff)]
              ^ TABLE[3][(int) ((x >>> 32) & 0xff)]
              ^ TABLE[2][(int) ((x >>> 40) & 0xff)]
              ^ TABLE[1][(int) ((x >>> 48) & 0xff)]
              ^ TABLE[0][(int) (x >>> 56)];
      i += 8;
    }
    while (i < end) {
      c = (c >>> 8) ^ TABLE[0][(int) ((c ^ b[i]) & 0xff)];
      i++;
    }
    crc = c;
  }

  /** Returns the current CRC value (after the final xor). */
  long value() {
    return ~crc;
  }

  @Override
  public byte[] digest() {
    long v = value();
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }
}
