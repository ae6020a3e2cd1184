package org.memos3.kv.bucket;

import java.util.ArrayList;
import java.util.List;
import org.memos3.kv.Codec;

/**
 * One CORS rule of a bucket, as PutBucketCors gave it (validated by the frontend).
 *
 * @param id the rule's ID, or null
 * @param maxAgeSeconds how long a browser may cache the preflight answer, or null
 */
public record CorsRule(
    String id,
    List<String> allowedOrigins,
    List<String> allowedMethods,
    List<String> allowedHeaders,
    List<String> exposeHeaders,
    Integer maxAgeSeconds) {

  public CorsRule {
    allowedOrigins = List.copyOf(allowedOrigins);
    allowedMethods = List.copyOf(allowedMethods);
    allowedHeaders = List.copyOf(allowedHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
  }

  static void write(Codec.Writer w, CorsRule r) {
    w.str(r.id);
    list(w, r.allowedOrigins);
    list(w, r.allowedMethods);
    list(w, r.allowedHeaders);
    list(w, r.exposeHeaders);
    w.bool(r.maxAgeSeconds != null).i32(r.maxAgeSeconds == null ? 0 : r.maxAgeSeconds);
  }

  static CorsRule read(Codec.Reader r, int total) {
    String id = r.str();
    List<String> origins = list(r, total);
    List<String> methods = list(r, total);
    List<String> headers = list(r, total);
    List<String> expose = list(r, total);
    boolean hasMaxAge = r.bool();
    int maxAge = r.i32();
    return new CorsRule(id, origins, methods, headers, expose, hasMaxAge ? maxAge : null);
  }

  private static void list(Codec.Writer w, List<String> l) {
    w.i32(l.size());
    l.forEach(w::str);
  }

  private static List<String> list(Codec.Reader r, int total) {
    int n = r.i32();
    if (n < 0 || n > total) {
      throw Codec.corrupt("bad list size " + n);
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String s = r.str();
      if (s == null) {
        throw Codec.corrupt("null list element");
      }
      out.add(s);
    }
    return out;
  }
}
