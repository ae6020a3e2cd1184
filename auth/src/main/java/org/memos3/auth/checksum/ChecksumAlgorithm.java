package org.memos3.auth.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The additional checksum algorithms S3 supports, with their header names and digest sizes. */
public enum ChecksumAlgorithm {
  CRC32(4),
  CRC32C(4),
  CRC64NVME(8),
  SHA1(20),
  SHA256(32);

  private final int digestLength;
  private final String headerName;

  ChecksumAlgorithm(int digestLength) {
    this.digestLength = digestLength;
    this.headerName = "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the header (and trailer) name carrying this checksum, e.g. {@code
   * x-amz-checksum-crc32}.
   */
  public String headerName() {
    return headerName;
  }

  /** Returns the length in bytes of the decoded checksum value. */
  public int digestLength() {
    return digestLength;
  }

  /** Returns a fresh incremental checksum of this algorithm. */
  public StreamingChecksum newChecksum() {
    switch (this) {
      case CRC32:
        return new ZipChecksum(new CRC32());
      case CRC32C:
        return new ZipChecksum(new CRC32C());
      case CRC64NVME:
        return new Crc64Nvme();
      case SHA1:
        return new DigestChecksum("SHA-1");
      case SHA256:
        return new DigestChecksum("SHA-256");
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Finds an algorithm by its S3 name, ignoring case ("CRC32", "crc64nvme", "sha256"); also accepts
   * the header form {@code x-amz-checksum-crc32}. Returns empty for unknown names or null.
   */
  public static Optional<ChecksumAlgorithm> fromName(String s) {
    if (s == null) {
      return Optional.empty();
    }
    String n = s.strip().toUpperCase(Locale.ROOT);
    if (n.startsWith("X-AMZ-CHECKSUM-")) {
      n = n.substring("X-AMZ-CHECKSUM-".length());
    }
    for (ChecksumAlgorithm a : values()) {
      if (a.name().equals(n)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** A 32-bit {@link Checksum} from java.util.zip, rendered as 4 big-endian bytes. */
  private static final class ZipChecksum implements StreamingChecksum {
    private final Checksum checksum;

    ZipChecksum(Checksum checksum) {
      this.checksum = checksum;
    }

    @Override
    public void update(byte[] b, int off, int len) {
      checksum.update(b, off, len);
    }

    @Override
    public byte[] digest() {
      long v = checksum.getValue();
      return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
  }

  /** A {@link MessageDigest} as a checksum. */
  private static final class DigestChecksum implements StreamingChecksum {
    private final MessageDigest digest;

    DigestChecksum(String algorithm) {
      try {
        digest = MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " unavailable", e);
      }
    }

    @Override
    public void update(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    public byte[] digest() {
      return digest.digest();
    }
  }
}
