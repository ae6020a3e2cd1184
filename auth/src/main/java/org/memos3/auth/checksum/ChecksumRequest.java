package org.memos3.auth.checksum;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/**
 * What the request says about integrity: Content-MD5, one x-amz-checksum-* header value or an
 * announced trailer (x-amz-trailer), x-amz-sdk-checksum-algorithm. {@link #parse} validates their
 * consistency.
 *
 * @param contentMd5 the Content-MD5 value as sent (base64 of 16 bytes), or null
 * @param checksumAlgorithm the requested additional checksum, or null for none
 * @param checksumValue the base64 value from the x-amz-checksum-* header, or null when absent or
 *     when the value comes in a trailer
 * @param fromTrailer true when the value is announced in x-amz-trailer and arrives after the body
 */
public record ChecksumRequest(
    String contentMd5,
    ChecksumAlgorithm checksumAlgorithm,
    String checksumValue,
    boolean fromTrailer) {

  /** A request asking for no integrity check beyond the computed MD5. */
  public static final ChecksumRequest NONE = new ChecksumRequest(null, null, null, false);

  private static final String PREFIX = "x-amz-checksum-";
  private static final Set<String> NOT_CHECKSUMS =
      Set.of("x-amz-checksum-type", "x-amz-checksum-mode", "x-amz-checksum-algorithm");

  /**
   * Reads the integrity headers of a request (names lower-case).
   *
   * @throws AuthException InvalidDigest for a Content-MD5 that is not base64 of 16 bytes;
   *     InvalidRequest for two checksum headers (or a header plus a checksum trailer), a checksum
   *     header that conflicts with x-amz-sdk-checksum-algorithm, an x-amz-sdk-checksum-algorithm
   *     without a checksum header or trailer, an unknown algorithm, or a value that is not base64
   *     of the algorithm's digest length
   */
  public static ChecksumRequest parse(Map<String, List<String>> headers) throws AuthException {
    String md5 = first(headers, "content-md5");
    if (md5 != null) {
      md5 = md5.strip();
      byte[] decoded = decodeBase64(md5);
      if (decoded == null || decoded.length != 16) {
        throw new AuthException(AuthError.INVALID_DIGEST);
      }
    }
    List<ChecksumAlgorithm> found = new ArrayList<>();
    String value = null;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(PREFIX) || NOT_CHECKSUMS.contains(name)) {
        continue;
      }
      ChecksumAlgorithm alg = known(name);
      for (String v : e.getValue()) {
        found.add(alg);
        value = v.strip();
      }
    }
    boolean trailer = false;
    List<String> trailers = headers.getOrDefault("x-amz-trailer", List.of());
    for (String t : trailers) {
      for (String name : t.split(",")) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.startsWith(PREFIX)) {
          found.add(known(n));
          trailer = true;
        }
      }
    }
    if (found.size() > 1) {
      throw new AuthException(
          AuthError.INVALID_REQUEST,
          "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }
    ChecksumAlgorithm alg = found.isEmpty() ? null : found.get(0);
    if (alg != null && !trailer) {
      byte[] decoded = decodeBase64(value);
      if (decoded == null || decoded.length != alg.digestLength()) {
        throw new AuthException(
            AuthError.INVALID_REQUEST, "Value for " + alg.headerName() + " header is invalid.");
      }
    }
    String sdk = first(headers, "x-amz-sdk-checksum-algorithm");
    if (sdk != null) {
      ChecksumAlgorithm sdkAlg = ChecksumAlgorithm.fromName(sdk).orElseThrow(() -> unsupported());
      if (alg == null) {
        throw new AuthException(
            AuthError.INVALID_REQUEST,
            "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or"
                + " x-amz-trailer headers were found.");
      }
      if (sdkAlg != alg) {
        throw new AuthException(
            AuthError.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
      }
    }
    return new ChecksumRequest(md5, alg, trailer ? null : value, trailer);
  }

  /** Returns the requested additional checksum algorithm, if any. */
  public Optional<ChecksumAlgorithm> algorithm() {
    return Optional.ofNullable(checksumAlgorithm);
  }

  /** Returns the decoded Content-MD5 (16 bytes), if one was sent. */
  public Optional<byte[]> contentMd5Bytes() {
    return contentMd5 == null
        ? Optional.empty()
        : Optional.of(Base64.getDecoder().decode(contentMd5));
  }

  private static ChecksumAlgorithm known(String headerName) throws AuthException {
    return ChecksumAlgorithm.fromName(headerName.substring(PREFIX.length()))
        .orElseThrow(() -> unsupported());
  }

  private static AuthException unsupported() {
    return new AuthException(
        AuthError.INVALID_REQUEST,
        "Checksum algorithm provided is unsupported. Please try again with any of the valid types:"
            + " [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }

  /** Decodes standard base64 (with padding); returns null when malformed. */
  static byte[] decodeBase64(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
