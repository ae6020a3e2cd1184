package org.memos3.kv.object;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The body and metadata of a write. The body stream must verify itself (signatures, Content-MD5,
 * checksums) and throw before EOF is reported if anything is wrong; {@link #etag()} and {@link
 * #checksum()} are read only after the stream reached EOF.
 */
public interface ObjectData {
  InputStream body();

  /** Hex MD5 of the bytes read, valid after EOF. */
  String etag();

  /** The checksum algorithm and base64 value to store, if the client sent one; after EOF. */
  Optional<Map.Entry<String, String>> checksum();

  /** Standard headers to store (content-type, content-encoding, cache-control...). */
  Map<String, String> headers();

  /** {@code x-amz-meta-*} values, names without the prefix, lower-case. */
  Map<String, String> userMetadata();

  /**
   * The body's length as the request declared it, or -1 when unknown: the first buffer of the body
   * is sized from it. The body's end is what counts, never this.
   */
  default long sizeHint() {
    return -1;
  }

  /** The tag set of the new version ({@code x-amz-tagging}); empty by default. */
  default Map<String, String> tags() {
    return Map.of();
  }

  /** The client's key the version is written with (SSE-C), or null for none. */
  default CustomerKey customerKey() {
    return null;
  }

  /** The Object Lock state of the new version (its {@code x-amz-object-lock-*} headers). */
  default ObjectLock lock() {
    return ObjectLock.NONE;
  }
}
