package org.memos3.auth.sigv4;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outcome of a successful {@link SigV4Authenticator#authenticate}: owns who signed the request
 * (or that nobody did), how the body is encoded, and the signing context needed to verify the body
 * while it streams. One instance belongs to one request; {@link #payload} may be called once.
 */
public final class Authenticated {
  private final Credential credential;
  private final PayloadMode payloadMode;
  private final long decodedContentLength;
  private final long contentLength;
  private final String expectedSha256Hex;
  private final SigningContext signing;
  private final List<String> announcedTrailers;
  private final AtomicBoolean payloadTaken = new AtomicBoolean();
  private volatile Map<String, String> trailers = Map.of();

  Authenticated(
      Credential credential,
      PayloadMode payloadMode,
      long decodedContentLength,
      long contentLength,
      String expectedSha256Hex,
      SigningContext signing,
      List<String> announcedTrailers) {
    this.credential = credential;
    this.payloadMode = Objects.requireNonNull(payloadMode, "payloadMode");
    this.decodedContentLength = decodedContentLength;
    this.contentLength = contentLength;
    this.expectedSha256Hex = expectedSha256Hex;
    this.signing = signing;
    this.announcedTrailers = List.copyOf(announcedTrailers);
  }

  /** Returns the credential that signed the request, or null when the request is anonymous. */
  public Credential credential() {
    return credential;
  }

  /** Returns true when the request carried no authentication at all. */
  public boolean isAnonymous() {
    return credential == null;
  }

  /** Returns how the body is encoded and signed. */
  public PayloadMode payloadMode() {
    return payloadMode;
  }

  /**
   * Returns the length of the payload after decoding: {@code x-amz-decoded-content-length} for
   * aws-chunked modes, else {@code Content-Length}; -1 if unknown.
   */
  public long decodedContentLength() {
    return decodedContentLength;
  }

  /** Returns the trailer names announced in {@code x-amz-trailer}, lower-case; may be empty. */
  public List<String> announcedTrailers() {
    return announcedTrailers;
  }

  /**
   * Wraps the raw body bytes (exactly what came after the headers, HTTP chunked transfer-encoding
   * already removed) into the payload stream. For a hex {@code x-amz-content-sha256} the SHA-256 is
   * verified at EOF ({@code XAmzContentSHA256Mismatch}); for aws-chunked modes the chunks are
   * decoded, every chunk signature is verified in order from the seed signature ({@code
   * SignatureDoesNotMatch}), trailers are parsed and, for signed trailers, their signature is
   * verified; truncation gives {@code IncompleteBody}, and so does a decoded length different from
   * {@link #decodedContentLength()}. For plain bodies with a known Content-Length the stream ends
   * after that many bytes and fails with {@code IncompleteBody} if fewer arrive. The returned
   * stream's read methods throw {@link org.memos3.auth.AuthException} on failure; a chunk's data is
   * handed out before its signature is checked at the chunk end, so callers must only commit after
   * EOF. Closing the returned stream closes {@code rawBody}.
   *
   * @throws IllegalStateException when called a second time
   */
  public InputStream payload(InputStream rawBody) {
    Objects.requireNonNull(rawBody, "rawBody");
    if (!payloadTaken.compareAndSet(false, true)) {
      throw new IllegalStateException("payload() already called");
    }
    if (payloadMode.isChunked()) {
      return new AwsChunkedInputStream(
          rawBody,
          payloadMode,
          signing,
          decodedContentLength,
          announcedTrailers,
          t -> trailers = Map.copyOf(t));
    }
    return new PlainPayloadInputStream(
        rawBody, contentLength, payloadMode == PayloadMode.SHA256_HEX ? expectedSha256Hex : null);
  }

  /**
   * Returns the trailers received after the final chunk, with lower-case names (the trailer
   * signature excluded); empty until the payload stream reached EOF successfully.
   */
  public Map<String, String> trailers() {
    return trailers;
  }

  @Override
  public String toString() {
    return "Authenticated[credential="
        + credential
        + ", payloadMode="
        + payloadMode
        + ", decodedContentLength="
        + decodedContentLength
        + "]";
  }
}
