package org.memos3.frontend.op;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.CorsRule;

/**
 * An exchange whose response carries the Access-Control-* headers of the bucket's first CORS rule
 * that allows the request's {@code Origin} and method (as S3 does for actual cross-origin requests,
 * errors included). The bucket record is read when the response starts.
 */
final class CorsExchange extends ForwardingExchange {
  private final Buckets buckets;
  private final String bucket;
  private final String origin;

  private CorsExchange(S3Exchange ex, Buckets buckets, String bucket, String origin) {
    super(ex);
    this.buckets = buckets;
    this.bucket = bucket;
    this.origin = origin;
  }

  /** {@code ex} itself unless it is a cross-origin request on a bucket. */
  static S3Exchange wrap(S3Exchange ex, Buckets buckets, Route route) {
    String origin = ex.header("origin").orElse(null);
    if (origin == null || origin.isEmpty() || route.bucket() == null) {
      return ex;
    }
    return new CorsExchange(ex, buckets, route.bucket(), origin);
  }

  private Map<String, String> withCors(Map<String, String> headers) {
    Map<String, String> cors;
    try {
      Bucket b = buckets.find(bucket).orElse(null);
      CorsRule r =
          b == null || b.cors() == null
              ? null
              : Cors.match(b.cors(), origin, ex.method(), List.of());
      cors = r == null ? Map.of() : Cors.headers(r, origin);
    } catch (RuntimeException e) {
      cors = Map.of(); // the answer itself matters more than its CORS headers
    }
    if (cors.isEmpty()) {
      return headers;
    }
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.putAll(cors);
    return out;
  }

  @Override
  public void respond(int status, Map<String, String> headers, byte[] body) {
    ex.respond(status, withCors(headers), body);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    ex.startStream(status, withCors(headers));
  }
}
