package org.memos3.frontend.op;

import java.io.IOException;
import java.util.Map;
import org.memos3.auth.AuthException;
import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;
import org.memos3.frontend.xml.ErrorResponse;
import org.memos3.frontend.xml.S3Xml;
import org.memos3.grid.GridException;
import org.memos3.kv.KvException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure into S3's answer: translates lower modules' exceptions once (exhaustive
 * switches), writes the error XML (no body for HEAD), logs unexpected failures with their stack
 * trace, and never sends one to the client.
 */
final class ErrorResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private ErrorResponder() {}

  static S3ErrorException translate(Throwable t, S3Exchange ex) {
    if (t instanceof S3ErrorException e) {
      return e;
    }
    if (t instanceof AuthException a) {
      return new S3ErrorException(a.error().code(), a.error().status(), a.getMessage());
    }
    if (t instanceof KvException k) {
      if (k.reason() == KvException.Reason.INVALID_BUCKET_STATE) {
        return new S3ErrorException("InvalidBucketState", 409, k.getMessage());
      }
      switch (k.reason()) {
        case CUSTOMER_KEY_REQUIRED, CUSTOMER_KEY_NOT_APPLICABLE -> {
          return new S3ErrorException(S3ErrorCode.INVALID_REQUEST, k.getMessage());
        }
        case CUSTOMER_KEY_MISMATCH -> {
          return new S3ErrorException(S3ErrorCode.ACCESS_DENIED);
        }
        case DELETE_MARKER -> {
          S3ErrorException e = new S3ErrorException(S3ErrorCode.METHOD_NOT_ALLOWED);
          e.withHeader("x-amz-delete-marker", "true")
              .withHeader("x-amz-version-id", k.getMessage());
          return e;
        }
        default -> {}
      }
      if (k.reason() == KvException.Reason.OBJECT_LOCKED) {
        return new S3ErrorException(
            S3ErrorCode.ACCESS_DENIED, "Access Denied because object protected by object lock.");
      }
      S3ErrorCode c =
          switch (k.reason()) {
            case INVALID_BUCKET_NAME -> S3ErrorCode.INVALID_BUCKET_NAME;
            case NO_SUCH_BUCKET -> S3ErrorCode.NO_SUCH_BUCKET;
            case BUCKET_ALREADY_EXISTS -> S3ErrorCode.BUCKET_ALREADY_EXISTS;
            case BUCKET_ALREADY_OWNED_BY_YOU -> S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU;
            case BUCKET_NOT_EMPTY -> S3ErrorCode.BUCKET_NOT_EMPTY;
            case NO_SUCH_KEY -> S3ErrorCode.NO_SUCH_KEY;
            case NO_SUCH_VERSION -> S3ErrorCode.NO_SUCH_VERSION;
            case DELETE_MARKER -> S3ErrorCode.METHOD_NOT_ALLOWED; // answered above
            case PRECONDITION_FAILED -> S3ErrorCode.PRECONDITION_FAILED;
            case CONDITIONAL_REQUEST_CONFLICT -> S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT;
            case SLOW_DOWN -> S3ErrorCode.SLOW_DOWN;
            case NO_SUCH_UPLOAD -> S3ErrorCode.NO_SUCH_UPLOAD;
            case INVALID_PART -> S3ErrorCode.INVALID_PART;
            case INVALID_PART_ORDER -> S3ErrorCode.INVALID_PART_ORDER;
            case ENTITY_TOO_SMALL -> S3ErrorCode.ENTITY_TOO_SMALL;
            case INVALID_BUCKET_STATE -> S3ErrorCode.INVALID_REQUEST; // answered above
            case OBJECT_LOCKED, CUSTOMER_KEY_MISMATCH -> S3ErrorCode.ACCESS_DENIED; // above
            case CUSTOMER_KEY_REQUIRED, CUSTOMER_KEY_NOT_APPLICABLE ->
                S3ErrorCode.INVALID_REQUEST; // answered above
            // Admin commands only; no S3 action raises these.
            case INVALID_USER_NAME,
                NO_SUCH_USER,
                USER_ALREADY_EXISTS,
                USER_OWNS_BUCKETS,
                NO_SUCH_ACCESS_KEY ->
                S3ErrorCode.INVALID_ARGUMENT;
          };
      return new S3ErrorException(c);
    }
    if (t instanceof GridException g) {
      return switch (g.reason()) {
        case CORRUPT_BLOCK, MISSING_BLOCK -> {
          LOG.error("integrity failure on request {}: {}", ex.requestId(), g.getMessage());
          IntegrityFailures.record();
          yield new S3ErrorException(S3ErrorCode.INTERNAL_ERROR);
        }
        case UNAVAILABLE, NO_SPACE -> {
          LOG.warn("grid unavailable on request {}: {}", ex.requestId(), g.getMessage(), g);
          yield new S3ErrorException(S3ErrorCode.SERVICE_UNAVAILABLE);
        }
        case WRONG_MASTER_KEY, SETTINGS_MISMATCH, BAD_SETTING -> {
          LOG.error("grid misconfigured: {}", g.getMessage());
          yield new S3ErrorException(S3ErrorCode.INTERNAL_ERROR);
        }
      };
    }
    if (t instanceof BodyTimeoutException) {
      return new S3ErrorException(S3ErrorCode.REQUEST_TIMEOUT);
    }
    LOG.error("unexpected failure on request {}", ex.requestId(), t);
    return new S3ErrorException(S3ErrorCode.INTERNAL_ERROR);
  }

  /**
   * Answers {@code t} on {@code ex}; if the response was already streaming, cuts the connection.
   * Returns the status sent (0 when the connection was cut).
   */
  static int respond(S3Exchange ex, Throwable t, Route route, boolean streaming) {
    if (t instanceof IOException io
        && !(t instanceof AuthException)
        && !(io instanceof BodyTimeoutException)
        && !ex.bodyComplete()) {
      // The client went away mid-body: nobody to answer.
      ex.abort();
      return 0;
    }
    if (streaming) {
      LOG.warn("request {} failed mid-response: {}", ex.requestId(), t.toString());
      ex.abort();
      return 0;
    }
    S3ErrorException e = translate(t, ex);
    if (ex.method().equals("HEAD")) {
      ex.respond(e.status(), e.headers(), new byte[0]);
      return e.status();
    }
    String bucket = e.extra().get("BucketName");
    String key = e.extra().get("Key");
    Map<String, String> details = new java.util.LinkedHashMap<>(e.extra());
    details.keySet().removeAll(java.util.List.of("BucketName", "Key", "VersionId"));
    byte[] xml =
        S3Xml.write(
            new ErrorResponse(
                e.code(),
                e.getMessage(),
                bucket,
                key,
                e.extra().get("VersionId"),
                route == null ? ex.rawPath() : route.resource(),
                ex.requestId(),
                ex.requestId(),
                details));
    Map<String, String> headers = new java.util.LinkedHashMap<>(e.headers());
    headers.put("Content-Type", "application/xml");
    ex.respond(e.status(), headers, xml);
    return e.status();
  }
}
