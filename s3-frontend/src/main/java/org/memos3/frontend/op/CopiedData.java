package org.memos3.frontend.op;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.memos3.kv.object.ObjectData;

/**
 * Stored bytes (a whole object or a range of one) as the body of a new write, for CopyObject and
 * UploadPartCopy. Hashes them with MD5 as they pass, so the copy's ETag is the plain MD5 of what
 * was written (also for a multipart source). Does not own the source stream: whoever opened it
 * closes it.
 */
final class CopiedData implements ObjectData {
  private final DigestInputStream body;
  private final Optional<Map.Entry<String, String>> checksum;
  private final Map<String, String> headers;
  private final Map<String, String> user;
  private final Map<String, String> tags;
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
    this.body = new DigestInputStream(source, md5());
    this.checksum = checksum;
    this.headers = headers;
    this.user = user;
    this.tags = tags;
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
    return checksum;
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
}
