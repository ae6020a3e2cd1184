package org.memos3.frontend.op;

/** Told about every finished S3 request (metrics); called on the worker thread, must not block. */
@FunctionalInterface
public interface RequestObserver {
  RequestObserver NONE = (operation, status, nanos) -> {};

  /**
   * @param operation the S3 action, null when the request could not be routed
   * @param status the HTTP status sent (200 for every success)
   * @param nanos time from the start of dispatch to the end of the response
   */
  void finished(S3Operation operation, int status, long nanos);
}
