package org.memos3.auth.checksum;

/**
 * Combines the CRCs of two consecutive byte ranges into the CRC of their concatenation, without the
 * bytes (zlib's {@code crc32_combine}, by GF(2) matrix powers), for the reflected CRCs S3 uses for
 * full-object multipart checksums: CRC32, CRC32C and CRC64NVME (initial value and final xor all
 * ones). Digests are big-endian, as S3 sends them.
 */
public final class CrcCombine {
  private CrcCombine() {}

  private static long reflectedPolynomial(ChecksumAlgorithm alg) {
    return switch (alg) {
      case CRC32 -> 0xEDB88320L;
      case CRC32C -> 0x82F63B78L;
      case CRC64NVME -> 0x9A6C9329AC4BC9B5L;
      default -> throw new IllegalArgumentException(alg + " cannot be combined");
    };
  }

  /** True for the algorithms that have a full-object form. */
  public static boolean supports(ChecksumAlgorithm alg) {
    return alg == ChecksumAlgorithm.CRC32
        || alg == ChecksumAlgorithm.CRC32C
        || alg == ChecksumAlgorithm.CRC64NVME;
  }

  /** The digest of A||B from the digests of A and of B (of {@code lengthB} bytes). */
  public static byte[] combine(ChecksumAlgorithm alg, byte[] crcA, byte[] crcB, long lengthB) {
    int width = alg.digestLength() * 8;
    long a = toLong(crcA);
    long b = toLong(crcB);
    long combined = combine(a, b, lengthB, reflectedPolynomial(alg), width);
    return toBytes(combined, alg.digestLength());
  }

  static long combine(long crc1, long crc2, long len2, long poly, int width) {
    if (len2 == 0) {
      return crc1;
    }
    long[] even = new long[width];
    long[] odd = new long[width];
    odd[0] = poly; // the operator for one zero bit
    long row = 1;
    for (int n = 1; n < width; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    do {
      square(even, odd);
      if ((len2 & 1) != 0) {
        crc1 = times(even, crc1);
      }
      len2 >>>= 1;
      if (len2 == 0) {
        break;
      }
      square(odd, even);
      if ((len2 & 1) != 0) {
        crc1 = times(odd, crc1);
      }
      len2 >>>= 1;
    } while (len2 != 0);
    long mask = width == 64 ? -1L : (1L << width) - 1;
    return (crc1 ^ crc2) & mask;
  }

  private static long times(long[] mat, long vec) {
    long sum = 0;
    int i = 0;
    while (vec != 0) {
      if ((vec & 1) != 0) {
        sum ^= mat[i];
      }
      vec >>>= 1;
      i++;
    }
    return sum;
  }

  private static void square(long[] square, long[] mat) {
    for (int n = 0; n < mat.length; n++) {
      square[n] = times(mat, mat[n]);
    }
  }

  private static long toLong(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xFF);
    }
    return v;
  }

  private static byte[] toBytes(long v, int n) {
    byte[] out = new byte[n];
    for (int i = n - 1; i >= 0; i--) {
      out[i] = (byte) v;
      v >>>= 8;
    }
    return out;
  }
}
