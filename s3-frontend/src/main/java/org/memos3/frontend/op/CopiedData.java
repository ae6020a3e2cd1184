package org.memos3.frontend.op;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.memos3.auth.checksum.ChecksumAlgorithm;
import org.memos3.auth.checksum.StreamingChecksum;
import org.memos3.kv.object.CustomerKey;
import org.memos3.kv.object.ObjectData;
import org.memos3.kv.object.ObjectLock;

/**
 * Stored bytes (a whole object or a range of one) as the body of a new write, for CopyObject and
 * UploadPartCopy. Hashes them with MD5 as they pass, so the copy's ETag is the plain MD5 of what
 * was written (also for a multipart source). Does not own the source stream: whoever opened it
 * closes it.
 */
final class CopiedData implements ObjectData {
  private final DigestInputStream body;
  private final Supplier<Optional<Map.Entry<String, String>>> checksum;
  private final Map<String, String> headers;
  private final Map<String, String> user;
  private final Map<String, String> tags;
  private ObjectLock lock = ObjectLock.NONE;
  private CustomerKey customerKey;
  private String etag;

  /**
   * @param checksum the checksum to store with the copy: only one that still holds for the bytes
   *     copied (the source's own, for a whole single-part source), else empty
   */
  CopiedData(
      InputStream source,
      Optional<Map.Entry<String, String>> checksum,
      Map<String, String> headers,
      Map<String, String> user) {
    this(source, checksum, headers, user, Map.of());
  }

  /** As above, with the tag set of the new version. */
  CopiedData(
      InputStream source,
      Optional<Map.Entry<String, String>> checksum,
      Map<String, String> headers,
      Map<String, String> user,
      Map<String, String> tags) {
    this(source, () -> checksum, headers, user, tags);
  }

  private CopiedData(
      InputStream source,
      Supplier<Optional<Map.Entry<String, String>>> checksum,
      Map<String, String> headers,
      Map<String, String> user,
      Map<String, String> tags) {
    this.body = new DigestInputStream(source, md5());
    this.checksum = checksum;
    this.headers = headers;
    this.user = user;
    this.tags = tags;
  }

  /**
   * A copied part of an upload whose parts carry {@code algorithm} checksums (none when empty): the
   * checksum is computed from the bytes as they pass, as S3 computes it for UploadPartCopy.
   */
  static CopiedData part(InputStream source, Optional<ChecksumAlgorithm> algorithm) {
    if (algorithm.isEmpty()) {
      return new CopiedData(source, Optional.empty(), Map.of(), Map.of());
    }
    StreamingChecksum sum = algorithm.get().newChecksum();
    InputStream summed =
        new FilterInputStream(source) {
          private final byte[] one = new byte[1];

          @Override
          public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
              sum.update(b, off, n);
            }
            return n;
          }

          @Override
          public long skip(long n) {
            throw new UnsupportedOperationException("a checksummed copy reads every byte");
          }
        };
    String name = algorithm.get().name();
    AtomicReference<Optional<Map.Entry<String, String>>> value = new AtomicReference<>();
    return new CopiedData(
        summed,
        () -> {
          if (value.get() == null) {
            value.set(Optional.of(Map.entry(name, sum.base64()))); // once, after EOF
          }
          return value.get();
        },
        Map.of(),
        Map.of(),
        Map.of());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public String etag() {
    // digest() resets the hash: take it once.
    if (etag == null) {
      etag = HexFormat.of().formatHex(body.getMessageDigest().digest());
    }
    return etag;
  }

  @Override
  public Optional<Map.Entry<String, String>> checksum() {
    return checksum.get();
  }

  @Override
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public Map<String, String> userMetadata() {
    return user;
  }

  @Override
  public Map<String, String> tags() {
    return tags;
  }

  /** This write with the new version's Object Lock state (from the request's headers). */
  CopiedData withLock(ObjectLock l) {
    this.lock = l;
    return this;
  }

  @Override
  public ObjectLock lock() {
    return lock;
  }

  /** This write with the client's key (SSE-C) its version is written with. */
  CopiedData withCustomerKey(CustomerKey k) {
    this.customerKey = k;
    return this;
  }

  @Override
  public CustomerKey customerKey() {
    return customerKey;
  }
}
