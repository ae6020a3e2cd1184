package org.memos3.auth.sigv4;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;
import org.memos3.auth.CheckedInputStream;

/**
 * A non-chunked body: owns the Content-Length accounting (ends after the declared length, fails
 * with {@code IncompleteBody} when fewer bytes arrive) and, when a hex payload hash was signed, the
 * SHA-256 comparison at EOF ({@code XAmzContentSHA256Mismatch}).
 */
final class PlainPayloadInputStream extends CheckedInputStream {
  private final InputStream in;
  private final String expectedSha256Hex;
  private final MessageDigest digest;
  private long remaining;

  PlainPayloadInputStream(InputStream in, long contentLength, String expectedSha256Hex) {
    this.in = in;
    this.remaining = contentLength;
    this.expectedSha256Hex = expectedSha256Hex;
    this.digest = expectedSha256Hex == null ? null : SigV4Util.sha256();
  }

  @Override
  protected int readChecked(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      finish();
      return -1;
    }
    int want = remaining > 0 ? (int) Math.min(len, remaining) : len;
    int n = in.read(b, off, want);
    if (n < 0) {
      if (remaining > 0) {
        throw new AuthException(AuthError.INCOMPLETE_BODY);
      }
      finish();
      return -1;
    }
    if (digest != null) {
      digest.update(b, off, n);
    }
    if (remaining > 0) {
      remaining -= n;
    }
    return n;
  }

  private void finish() throws AuthException {
    if (digest != null) {
      String actual = SigV4Util.hex(digest.digest());
      if (!actual.equalsIgnoreCase(expectedSha256Hex)) {
        throw new AuthException(AuthError.X_AMZ_CONTENT_SHA256_MISMATCH);
      }
    }
  }

  @Override
  public int available() throws IOException {
    if (finished()) {
      return 0;
    }
    int a = in.available();
    return remaining >= 0 ? (int) Math.min(a, remaining) : a;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
