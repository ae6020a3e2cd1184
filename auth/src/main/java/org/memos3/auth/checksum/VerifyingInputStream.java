package org.memos3.auth.checksum;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/**
 * Wraps the payload stream: owns the MD5 (the ETag), computed always, and the requested additional
 * checksum, both computed as bytes pass (the body is never buffered). At EOF it compares the
 * Content-MD5 ({@code BadDigest}) and the header or trailer checksum ({@code BadDigest} with
 * message "The {ALG} you specified did not match the calculated checksum."); trailer values are
 * obtained at EOF from the supplier (typically {@code Authenticated::trailers}). Once a read
 * failed, every later read throws the same exception. Not thread-safe.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final ChecksumRequest request;
  private final Supplier<Map<String, String>> trailers;
  private final MessageDigest md5;
  private final StreamingChecksum checksum;
  private long bytesRead;
  private byte[] md5Value;
  private String checksumBase64;
  private boolean done;
  private AuthException failure;

  /**
   * Creates the stream.
   *
   * @param payload the decoded payload (e.g. from {@code Authenticated.payload})
   * @param request the parsed integrity headers
   * @param trailers supplies the trailers once the payload hit EOF; consulted only when the
   *     checksum comes in a trailer
   */
  public VerifyingInputStream(
      InputStream payload, ChecksumRequest request, Supplier<Map<String, String>> trailers) {
    super(Objects.requireNonNull(payload, "payload"));
    this.request = Objects.requireNonNull(request, "request");
    this.trailers = trailers == null ? Map::of : trailers;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
    this.checksum = request.algorithm().map(ChecksumAlgorithm::newChecksum).orElse(null);
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
    int n = in.read(b, off, len);
    if (n < 0) {
      finish();
      return -1;
    }
    if (n > 0) {
      md5.update(b, off, n);
      if (checksum != null) {
        checksum.update(b, off, n);
      }
      bytesRead += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void finish() throws AuthException {
    done = true;
    md5Value = md5.digest();
    if (request.contentMd5() != null) {
      byte[] expected = request.contentMd5Bytes().orElseThrow();
      if (!MessageDigest.isEqual(expected, md5Value)) {
        throw fail(new AuthException(AuthError.BAD_DIGEST));
      }
    }
    if (checksum == null) {
      return;
    }
    ChecksumAlgorithm alg = request.checksumAlgorithm();
    byte[] actual = checksum.digest();
    checksumBase64 = Base64.getEncoder().encodeToString(actual);
    String expectedText;
    if (request.fromTrailer()) {
      Map<String, String> received = trailers.get();
      expectedText = received == null ? null : received.get(alg.headerName());
      if (expectedText == null) {
        throw fail(new AuthException(AuthError.MALFORMED_TRAILER));
      }
    } else {
      expectedText = request.checksumValue();
    }
    byte[] expected = ChecksumRequest.decodeBase64(expectedText.strip());
    if (expected == null || expected.length != alg.digestLength()) {
      throw fail(
          new AuthException(
              AuthError.INVALID_REQUEST, "Value for " + alg.headerName() + " header is invalid."));
    }
    if (!MessageDigest.isEqual(expected, actual)) {
      throw fail(
          new AuthException(
              AuthError.BAD_DIGEST,
              "The " + alg.name() + " you specified did not match the calculated checksum."));
    }
  }

  private AuthException fail(AuthException e) {
    failure = e;
    return e;
  }

  /**
   * Returns the MD5 of the payload (16 bytes, a copy).
   *
   * @throws IllegalStateException before the stream reached EOF
   */
  public byte[] md5() {
    if (md5Value == null) {
      throw new IllegalStateException("MD5 is available after EOF");
    }
    return Arrays.copyOf(md5Value, md5Value.length);
  }

  /** Returns {@link #md5()} as lower-case hex, the S3 ETag without quotes. */
  public String md5Hex() {
    return HexFormat.of().formatHex(md5());
  }

  /** Returns the number of payload bytes read so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Returns the additional checksum algorithm being computed, if any. */
  public Optional<ChecksumAlgorithm> checksumAlgorithm() {
    return request.algorithm();
  }

  /** Returns the computed additional checksum in base64; empty before EOF or when none. */
  public Optional<String> checksumBase64() {
    return Optional.ofNullable(checksumBase64);
  }
}
