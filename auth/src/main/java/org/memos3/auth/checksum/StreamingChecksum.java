package org.memos3.auth.checksum;

import java.util.Base64;

/**
 * An incremental checksum or digest over a byte stream. Not thread-safe; {@link #digest()} ends the
 * computation and may be called once.
 */
public interface StreamingChecksum {
  /** Adds {@code len} bytes of {@code b} starting at {@code off}. */
  void update(byte[] b, int off, int len);

  /**
   * Returns the checksum in S3's byte order (big-endian for CRCs); call once, after all updates.
   */
  byte[] digest();

  /** Returns {@link #digest()} in standard base64, the form S3 uses on the wire. */
  default String base64() {
    return Base64.getEncoder().encodeToString(digest());
  }
}
