package org.memos3.frontend.op;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.CorsConfiguration;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.kv.bucket.CorsRule;

/**
 * S3's CORS rules: validating a CORSConfiguration, matching an origin, method and headers against a
 * bucket's rules (the first matching rule wins), and the Access-Control-* headers of the answer.
 */
final class Cors {
  static final int MAX_RULES = 100;
  static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE");
  static final String VARY =
      "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

  private Cors() {}

  /** Validates a PutBucketCors body into rules (S3's MalformedXML / InvalidRequest). */
  static List<CorsRule> rules(CorsConfiguration c) {
    if (c == null || c.rules == null || c.rules.isEmpty()) {
      throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
    }
    if (c.rules.size() > MAX_RULES) {
      throw new S3ErrorException(
          S3ErrorCode.MALFORMED_XML,
          "The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules.");
    }
    List<CorsRule> out = new ArrayList<>();
    for (CorsConfiguration.Rule r : c.rules) {
      if (r == null
          || r.allowedMethods == null
          || r.allowedMethods.isEmpty()
          || r.allowedOrigins == null
          || r.allowedOrigins.isEmpty()) {
        throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
      }
      if (r.id != null && r.id.length() > 255) {
        throw invalid("The ID of a CORS rule should not exceed 255 characters.");
      }
      for (String m : r.allowedMethods) {
        if (m == null || !METHODS.contains(m)) {
          throw invalid("Found unsupported HTTP method in CORS config. Unsupported method is " + m);
        }
      }
      for (String o : r.allowedOrigins) {
        if (o == null || o.indexOf('*') != o.lastIndexOf('*')) {
          throw invalid("AllowedOrigin \"" + o + "\" can not have more than one wildcard.");
        }
      }
      List<String> headers = orEmpty(r.allowedHeaders);
      for (String h : headers) {
        if (h == null || h.indexOf('*') != h.lastIndexOf('*')) {
          throw invalid("AllowedHeader \"" + h + "\" can not have more than one wildcard.");
        }
      }
      List<String> expose = orEmpty(r.exposeHeaders);
      for (String h : expose) {
        if (h == null || h.contains("*")) {
          throw invalid(
              "ExposeHeader \""
                  + h
                  + "\" contains wildcard. We currently do not support wildcard for"
                  + " ExposeHeader.");
        }
      }
      Integer maxAge = null;
      if (r.maxAgeSeconds != null) {
        try {
          maxAge = Integer.parseInt(r.maxAgeSeconds.trim());
        } catch (NumberFormatException e) {
          throw new S3ErrorException(S3ErrorCode.MALFORMED_XML);
        }
      }
      out.add(
          new CorsRule(
              r.id == null || r.id.isEmpty() ? null : r.id,
              r.allowedOrigins,
              r.allowedMethods,
              headers,
              expose,
              maxAge));
    }
    return out;
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }

  private static S3ErrorException invalid(String message) {
    return new S3ErrorException(S3ErrorCode.INVALID_REQUEST, message);
  }

  /** The GetBucketCors document of {@code rules}. */
  static CorsConfiguration xml(List<CorsRule> rules) {
    CorsConfiguration c = new CorsConfiguration();
    c.xmlns = S3Xml.NS;
    c.rules = new ArrayList<>();
    for (CorsRule r : rules) {
      CorsConfiguration.Rule x = new CorsConfiguration.Rule();
      x.id = r.id();
      x.allowedHeaders = r.allowedHeaders().isEmpty() ? null : r.allowedHeaders();
      x.allowedMethods = r.allowedMethods();
      x.allowedOrigins = r.allowedOrigins();
      x.exposeHeaders = r.exposeHeaders().isEmpty() ? null : r.exposeHeaders();
      x.maxAgeSeconds = r.maxAgeSeconds() == null ? null : r.maxAgeSeconds().toString();
      c.rules.add(x);
    }
    return c;
  }

  /** True when {@code value} matches {@code pattern}, which holds at most one '*'. */
  static boolean wildcard(String pattern, String value, boolean ignoreCase) {
    if (ignoreCase) {
      pattern = pattern.toLowerCase(Locale.ROOT);
      value = value.toLowerCase(Locale.ROOT);
    }
    int star = pattern.indexOf('*');
    if (star < 0) {
      return pattern.equals(value);
    }
    String head = pattern.substring(0, star);
    String tail = pattern.substring(star + 1);
    return value.length() >= head.length() + tail.length()
        && value.startsWith(head)
        && value.endsWith(tail);
  }

  /** The first rule allowing {@code origin}, {@code method} and all of {@code headers}, or null. */
  static CorsRule match(List<CorsRule> rules, String origin, String method, List<String> headers) {
    for (CorsRule r : rules) {
      if (!r.allowedMethods().contains(method)) {
        continue;
      }
      if (r.allowedOrigins().stream().noneMatch(o -> wildcard(o, origin, false))) {
        continue;
      }
      boolean allHeaders =
          headers.stream()
              .allMatch(h -> r.allowedHeaders().stream().anyMatch(a -> wildcard(a, h, true)));
      if (allHeaders) {
        return r;
      }
    }
    return null;
  }

  /** The Access-Control-* headers S3 sends for a request from {@code origin} matching {@code r}. */
  static Map<String, String> headers(CorsRule r, String origin) {
    Map<String, String> h = new LinkedHashMap<>();
    boolean any = r.allowedOrigins().contains("*");
    h.put("Access-Control-Allow-Origin", any ? "*" : origin);
    h.put("Access-Control-Allow-Methods", String.join(", ", r.allowedMethods()));
    if (!any) {
      h.put("Access-Control-Allow-Credentials", "true");
    }
    if (!r.exposeHeaders().isEmpty()) {
      h.put("Access-Control-Expose-Headers", String.join(", ", r.exposeHeaders()));
    }
    if (r.maxAgeSeconds() != null) {
      h.put("Access-Control-Max-Age", r.maxAgeSeconds().toString());
    }
    h.put("Vary", VARY);
    return h;
  }

  /** The header names of {@code Access-Control-Request-Headers}, trimmed, empty ones dropped. */
  static List<String> requestedHeaders(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String h : value.split(",")) {
      String t = h.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }
}
