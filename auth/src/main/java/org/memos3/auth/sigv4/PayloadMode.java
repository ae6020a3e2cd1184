package org.memos3.auth.sigv4;

/** How a request body is encoded and what of it the signature covers. */
public enum PayloadMode {
  /** {@code UNSIGNED-PAYLOAD} (also every presigned URL): plain body, not covered. */
  UNSIGNED,
  /** A hex SHA-256 in {@code x-amz-content-sha256}: plain body, hash verified at EOF. */
  SHA256_HEX,
  /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked, every chunk signed. */
  STREAMING_SIGNED,
  /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked, unsigned chunks, trailers. */
  STREAMING_UNSIGNED_TRAILER,
  /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks and signed trailers. */
  STREAMING_SIGNED_TRAILER,
  /** No authentication at all: plain body passed through unverified. */
  ANONYMOUS;

  /** Returns true for the three aws-chunked modes. */
  public boolean isChunked() {
    return this == STREAMING_SIGNED
        || this == STREAMING_UNSIGNED_TRAILER
        || this == STREAMING_SIGNED_TRAILER;
  }

  /** Returns true when chunks carry {@code chunk-signature} extensions. */
  public boolean hasChunkSignatures() {
    return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
  }

  /** Returns true when the final chunk is followed by trailer headers. */
  public boolean hasTrailers() {
    return this == STREAMING_UNSIGNED_TRAILER || this == STREAMING_SIGNED_TRAILER;
  }
}
