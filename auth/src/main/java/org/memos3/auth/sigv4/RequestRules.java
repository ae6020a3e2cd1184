package org.memos3.auth.sigv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/**
 * S3's rules for the plain request fields that SigV4 verification relies on: owns the parsing and
 * validation of {@code SignedHeaders}, {@code X-Amz-Expires}, {@code x-amz-content-sha256}, length
 * headers and {@code x-amz-trailer}, each failing with the S3 error S3 answers with.
 */
final class RequestRules {
  private RequestRules() {}

  static List<String> parseSignedHeaders(String text) throws AuthException {
    List<String> names = new ArrayList<>();
    for (String name : text.split(";")) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      if (!n.isEmpty()) {
        names.add(n);
      }
    }
    if (!names.contains("host")) {
      throw new AuthException(
          AuthError.ACCESS_DENIED,
          "There were headers present in the request which were not signed: host");
    }
    return names;
  }

  static long parseExpires(String text) throws AuthException {
    long expires;
    try {
      expires = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new AuthException(
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires should be a number");
    }
    if (expires < 0) {
      // 0 is well-formed, as on AWS: such a URL is expired (403) from just after X-Amz-Date.
      throw new AuthException(
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires must be non-negative");
    }
    if (expires > SigV4Authenticator.MAX_EXPIRES_SECONDS) {
      throw new AuthException(
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
          "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    return expires;
  }

  /** Maps an {@code x-amz-content-sha256} value to its payload mode. */
  static PayloadMode payloadModeOf(String contentSha256) throws AuthException {
    switch (contentSha256) {
      case "UNSIGNED-PAYLOAD":
        return PayloadMode.UNSIGNED;
      case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
        return PayloadMode.STREAMING_SIGNED;
      case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
        return PayloadMode.STREAMING_SIGNED_TRAILER;
      case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
        return PayloadMode.STREAMING_UNSIGNED_TRAILER;
      case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD":
      case "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER":
        throw new AuthException(AuthError.UNSUPPORTED_SIGNATURE);
      default:
        if (contentSha256.matches("[0-9a-fA-F]{64}")) {
          return PayloadMode.SHA256_HEX;
        }
        throw new AuthException(
            AuthError.INVALID_ARGUMENT,
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
    }
  }

  static long lengthHeader(RequestHead head, String name) throws AuthException {
    Optional<String> value = head.header(name);
    if (value.isEmpty()) {
      return -1;
    }
    try {
      long n = Long.parseLong(value.get().strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new AuthException(AuthError.INVALID_ARGUMENT, "Invalid " + name + " header.");
    }
  }

  static List<String> announcedTrailers(RequestHead head) {
    List<String> names = new ArrayList<>();
    for (String value : head.headerValues("x-amz-trailer")) {
      for (String name : value.split(",")) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!n.isEmpty()) {
          names.add(n);
        }
      }
    }
    return names;
  }

  static Map<String, String> firstValues(List<Map.Entry<String, String>> pairs) {
    Map<String, String> map = new HashMap<>();
    for (Map.Entry<String, String> e : pairs) {
      map.putIfAbsent(e.getKey(), e.getValue());
    }
    return map;
  }
}
