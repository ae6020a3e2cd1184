package org.memos3.frontend.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frontend's one exception: an S3 error to answer with, plus optional extra XML fields (e.g.
 * {@code BucketName}, {@code Key}) and an optional status/code override for errors that come from
 * the auth module.
 */
public final class S3ErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;
  private final Map<String, String> extra = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();

  public S3ErrorException(S3ErrorCode code) {
    this(code, code.message());
  }

  public S3ErrorException(S3ErrorCode code, String message) {
    this(code.code(), code.status(), message);
  }

  public S3ErrorException(String code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  public S3ErrorException with(String field, String value) {
    extra.put(field, value);
    return this;
  }

  /** Adds a response header sent with the error (e.g. {@code x-amz-delete-marker}). */
  public S3ErrorException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public Map<String, String> extra() {
    return extra;
  }
}
