package org.memos3.auth.sigv4;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of an HTTP request as received: method, raw (still percent-encoded) path, raw query
 * string without '?' (null or "" if none), headers with lower-case names (a name may repeat). The
 * constructor copies the headers into an unmodifiable map and lower-cases names (merging values of
 * names that differ only in case), so callers need not normalise them.
 *
 * @param method the HTTP method, e.g. {@code PUT}
 * @param rawPath the request target's path exactly as sent, e.g. {@code /bucket/a%20b}
 * @param rawQuery the query string exactly as sent, without '?'; null or empty when absent
 * @param headers the header values in arrival order per name
 */
public record RequestHead(
    String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

  /** Copies and normalises the components; {@code method} and {@code rawPath} are required. */
  public RequestHead {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (headers != null) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          continue;
        }
        copy.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .addAll(e.getValue());
      }
    }
    copy.replaceAll((k, v) -> List.copyOf(v));
    headers = Collections.unmodifiableMap(copy);
  }

  /** Returns the first value of the header, or empty; {@code lowerName} must be lower-case. */
  public Optional<String> header(String lowerName) {
    List<String> values = headers.get(lowerName);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Returns every value of the header in arrival order; empty list when absent. */
  public List<String> headerValues(String lowerName) {
    return headers.getOrDefault(lowerName, List.of());
  }

  /** Returns the query string, never null ("" when absent). */
  public String query() {
    return rawQuery == null ? "" : rawQuery;
  }
}
