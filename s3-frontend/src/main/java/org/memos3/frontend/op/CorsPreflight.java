package org.memos3.frontend.op;

import java.util.List;
import java.util.Map;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.bucket.CorsRule;

/**
 * A browser's CORS preflight ({@code OPTIONS /bucket[/key]}), answered from the bucket's CORS rules
 * without authentication (browsers send none, and a preflight of a presigned URL carries a
 * signature for another method).
 */
final class CorsPreflight {
  static final String NOT_ALLOWED =
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of"
          + " Origin, request method / Access-Control-Request-Method or"
          + " Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

  private final Buckets buckets;

  CorsPreflight(Buckets buckets) {
    this.buckets = buckets;
  }

  private static S3ErrorException forbidden(String message) {
    return new S3ErrorException("AccessForbidden", 403, message);
  }

  void answer(S3Exchange ex, Route route) {
    String origin = ex.header("origin").orElse(null);
    if (origin == null || origin.isEmpty()) {
      throw new S3ErrorException(
          "BadRequest", 400, "Insufficient information. Origin request header needed.");
    }
    String method = ex.header("access-control-request-method").orElse(null);
    if (method == null || !Cors.METHODS.contains(method)) {
      throw new S3ErrorException(
          "BadRequest", 400, "Invalid Access-Control-Request-Method: " + method);
    }
    Bucket b =
        buckets.find(route.bucket()).orElseThrow(() -> forbidden("CORSResponse: Bucket not found"));
    if (b.cors() == null) {
      throw forbidden("CORSResponse: CORS is not enabled for this bucket.");
    }
    String requested = ex.header("access-control-request-headers").orElse(null);
    List<String> headers = Cors.requestedHeaders(requested);
    CorsRule r = Cors.match(b.cors(), origin, method, headers);
    if (r == null) {
      throw forbidden(NOT_ALLOWED);
    }
    Map<String, String> out = Cors.headers(r, origin);
    if (!headers.isEmpty()) {
      out.put("Access-Control-Allow-Headers", String.join(", ", headers));
    }
    ex.respond(200, out, new byte[0]);
  }
}
