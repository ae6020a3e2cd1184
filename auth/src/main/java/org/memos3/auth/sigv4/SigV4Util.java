package org.memos3.auth.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 building blocks: AWS URI encoding, canonical URI/query/header values, SHA-256, HMAC and
 * signing-key derivation (derived keys are kept, see {@link #signingKey}). Every method is
 * thread-safe.
 */
final class SigV4Util {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

  private SigV4Util() {}

  /**
   * Decodes {@code %XX} escapes to bytes; every other character (including '+') stands for its own
   * UTF-8 bytes. A '%' not followed by two hex digits is kept literally.
   */
  static byte[] percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < n
          && hexValue(s.charAt(i + 1)) >= 0
          && hexValue(s.charAt(i + 2)) >= 0) {
        out.write(hexValue(s.charAt(i + 1)) << 4 | hexValue(s.charAt(i + 2)));
        i += 3;
      } else if (c < 0x80) {
        out.write(c);
        i++;
      } else {
        int end = i + (Character.isHighSurrogate(c) && i + 1 < n ? 2 : 1);
        out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    return out.toByteArray();
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * AWS URI-encodes bytes: unreserved {@code A-Z a-z 0-9 - _ . ~} are kept, '/' is kept when {@code
   * keepSlash}, every other byte becomes {@code %XX} with upper-case hex.
   */
  static String uriEncode(byte[] bytes, boolean keepSlash) {
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (keepSlash && c == '/')) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /**
   * Returns S3's canonical URI: the raw path decoded once and re-encoded, not normalised ('.', '..'
   * and '//' stay); an empty path is "/".
   */
  static String canonicalUri(String rawPath) {
    if (rawPath.isEmpty()) {
      return "/";
    }
    return uriEncode(percentDecode(rawPath), true);
  }

  /** Splits a raw query into decoded (name, value) pairs in order; a bare name has value "". */
  static List<Map.Entry<String, String>> parseQuery(String rawQuery) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      out.add(
          new SimpleImmutableEntry<>(
              new String(percentDecode(name), StandardCharsets.UTF_8),
              new String(percentDecode(value), StandardCharsets.UTF_8)));
    }
    return out;
  }

  /**
   * Returns the canonical query string: each name and value decoded then URI-encoded, sorted by
   * name then value, joined as {@code name=value&...}; {@code excludeName} (if non-null) is left
   * out.
   */
  static String canonicalQuery(String rawQuery, String excludeName) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      byte[] name = percentDecode(eq < 0 ? part : part.substring(0, eq));
      if (excludeName != null && new String(name, StandardCharsets.UTF_8).equals(excludeName)) {
        continue;
      }
      byte[] value = percentDecode(eq < 0 ? "" : part.substring(eq + 1));
      pairs.add(new String[] {uriEncode(name, false), uriEncode(value, false)});
    }
    pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /**
   * Returns a header's canonical value: each value trimmed, inner spaces collapsed, joined by ','.
   */
  static String canonicalHeaderValue(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String v = values.get(i).strip();
      boolean space = false;
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        if (c == ' ' || c == '\t') {
          space = true;
        } else {
          if (space) {
            sb.append(' ');
            space = false;
          }
          sb.append(c);
        }
      }
    }
    return sb.toString();
  }

  /** Cloned for each new digest: a clone skips the provider lookup of {@code getInstance}. */
  private static final MessageDigest SHA256 = newSha256();

  /** This thread's HMAC, keyed anew for each use: {@code Mac.getInstance} costs a lookup. */
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(SigV4Util::newHmac);

  /**
   * Signing keys by secret, date, region and service: deriving one costs four HMACs, and a client
   * signs with the same key all day. Past {@link #MAX_KEYS} entries the cache starts over (many
   * keys, or a flood of made-up dates).
   */
  private static final Map<KeyScope, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();

  /** What a signing key is derived from. */
  private record KeyScope(String secret, String date, String region, String service) {}

  private static final int MAX_KEYS = 1024;

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static Mac newHmac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Returns a new SHA-256 digest. */
  static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  /** Returns the lower-case hex SHA-256 of {@code data}. */
  static String sha256Hex(byte[] data) {
    return hex(sha256().digest(data));
  }

  /** Returns the lower-case hex form of {@code bytes}. */
  static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX_LOWER[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_LOWER[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Returns HMAC-SHA256(key, UTF-8 of data). */
  static byte[] hmac(byte[] key, String data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 refused its key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The SigV4 signing key for a secret and a credential scope, derived once per scope (callers must
   * not change the array).
   */
  static byte[] signingKey(String secret, String date, String region, String service) {
    KeyScope id = new KeyScope(secret, date, region, service);
    byte[] k = SIGNING_KEYS.get(id);
    if (k == null) {
      k = deriveSigningKey(secret, date, region, service);
      if (SIGNING_KEYS.size() >= MAX_KEYS) {
        SIGNING_KEYS.clear();
      }
      SIGNING_KEYS.put(id, k);
    }
    return k;
  }

  /** Derives the SigV4 signing key for a secret and a credential scope. */
  static byte[] deriveSigningKey(String secret, String date, String region, String service) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  /** Returns the lower-case hex HMAC-SHA256 signature of a string-to-sign. */
  static String sign(byte[] signingKey, String stringToSign) {
    return hex(hmac(signingKey, stringToSign));
  }

  /** Compares two signatures in time independent of where they differ. */
  static boolean signaturesEqual(String expected, String provided) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), provided.getBytes(StandardCharsets.US_ASCII));
  }
}
