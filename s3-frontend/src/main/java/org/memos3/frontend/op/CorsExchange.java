package org.memos3.frontend.op;

import java.io.IOException;
import java.io.InputStream;
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
final class CorsExchange implements S3Exchange {
  private final S3Exchange ex;
  private final Buckets buckets;
  private final String bucket;
  private final String origin;

  private CorsExchange(S3Exchange ex, Buckets buckets, String bucket, String origin) {
    this.ex = ex;
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
  public String requestId() {
    return ex.requestId();
  }

  @Override
  public String method() {
    return ex.method();
  }

  @Override
  public boolean onEventLoop() {
    return ex.onEventLoop();
  }

  @Override
  public void offload(Runnable task) {
    ex.offload(task);
  }

  @Override
  public String rawPath() {
    return ex.rawPath();
  }

  @Override
  public String rawQuery() {
    return ex.rawQuery();
  }

  @Override
  public Map<String, List<String>> headers() {
    return ex.headers();
  }

  @Override
  public InputStream body() {
    return ex.body();
  }

  @Override
  public boolean bodyComplete() {
    return ex.bodyComplete();
  }

  @Override
  public void sendContinue() {
    ex.sendContinue();
  }

  @Override
  public int status() {
    return ex.status();
  }

  @Override
  public void respond(int status, Map<String, String> headers, byte[] body) {
    ex.respond(status, withCors(headers), body);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    ex.startStream(status, withCors(headers));
  }

  @Override
  public void write(byte[] b, int off, int len, Runnable release) throws IOException {
    ex.write(b, off, len, release);
  }

  @Override
  public void endStream() {
    ex.endStream();
  }

  @Override
  public void abort() {
    ex.abort();
  }
}
