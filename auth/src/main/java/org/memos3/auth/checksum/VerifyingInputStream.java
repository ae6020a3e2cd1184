package org.memos3.auth.checksum;

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
import org.memos3.auth.CheckedInputStream;

/**
 * Wraps the payload stream: owns the MD5 (the ETag), computed always, and the requested additional
 * checksum, both computed as bytes pass (the body is never buffered). At EOF it compares the
 * Content-MD5 ({@code BadDigest}) and the header or trailer checksum ({@code BadDigest} with
 * message "The {ALG} you specified did not match the calculated checksum."); trailer values are
 * obtained at EOF from the supplier (typically {@code Authenticated::trailers}). Once a read
 * failed, every later read throws the same exception. Not thread-safe.
 */
public final class VerifyingInputStream extends CheckedInputStream {
  private final InputStream in;
  private final ChecksumRequest request;
  private final Supplier<Map<String, String>> trailers;
  private final MessageDigest md5;
  private final StreamingChecksum checksum;
  private long bytesRead;
  private byte[] md5Value;
  private String checksumBase64;

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
    this.in = Objects.requireNonNull(payload, "payload");
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
  protected int readChecked(byte[] b, int off, int len) throws IOException {
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
  public int available() throws IOException {
    return finished() ? 0 : in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void finish() throws AuthException {
    md5Value = md5.digest();
    if (request.contentMd5() != null) {
      byte[] expected = request.contentMd5Bytes().orElseThrow();
      if (!MessageDigest.isEqual(expected, md5Value)) {
        throw new AuthException(AuthError.BAD_DIGEST);
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
        throw new AuthException(AuthError.MALFORMED_TRAILER);
      }
    } else {
      expectedText = request.checksumValue();
    }
    byte[] expected = ChecksumRequest.decodeBase64(expectedText.strip());
    if (expected == null || expected.length != alg.digestLength()) {
      throw new AuthException(
          AuthError.INVALID_REQUEST, "Value for " + alg.headerName() + " header is invalid.");
    }
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new AuthException(
          AuthError.BAD_DIGEST,
          "The " + alg.name() + " you specified did not match the calculated checksum.");
    }
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
