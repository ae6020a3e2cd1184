package org.memos3.auth.sigv4;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/**
 * A non-chunked body: owns the Content-Length accounting (ends after the declared length, fails
 * with {@code IncompleteBody} when fewer bytes arrive) and, when a hex payload hash was signed, the
 * SHA-256 comparison at EOF ({@code XAmzContentSHA256Mismatch}).
 */
final class PlainPayloadInputStream extends InputStream {
  private final InputStream in;
  private final String expectedSha256Hex;
  private final MessageDigest digest;
  private long remaining;
  private boolean done;
  private AuthException failure;

  PlainPayloadInputStream(InputStream in, long contentLength, String expectedSha256Hex) {
    this.in = in;
    this.remaining = contentLength;
    this.expectedSha256Hex = expectedSha256Hex;
    this.digest = expectedSha256Hex == null ? null : SigV4Util.sha256();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    if (remaining == 0) {
      finish();
      return -1;
    }
    int want = remaining > 0 ? (int) Math.min(len, remaining) : len;
    int n = in.read(b, off, want);
    if (n < 0) {
      if (remaining > 0) {
        throw fail(new AuthException(AuthError.INCOMPLETE_BODY));
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
    done = true;
    if (digest != null) {
      String actual = SigV4Util.hex(digest.digest());
      if (!actual.equalsIgnoreCase(expectedSha256Hex)) {
        throw fail(new AuthException(AuthError.X_AMZ_CONTENT_SHA256_MISMATCH));
      }
    }
  }

  private AuthException fail(AuthException e) {
    failure = e;
    return e;
  }

  @Override
  public int available() throws IOException {
    if (done || failure != null) {
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
