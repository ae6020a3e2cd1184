package org.memos3.kv;

/** The one failure type of kv-mapping; the frontend switches on {@link Reason}. */
public final class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a key-value operation failed, in S3's terms. */
  public enum Reason {
    INVALID_BUCKET_NAME,
    NO_SUCH_BUCKET,
    BUCKET_ALREADY_EXISTS,
    BUCKET_ALREADY_OWNED_BY_YOU,
    BUCKET_NOT_EMPTY,
    NO_SUCH_KEY,
    NO_SUCH_VERSION,
    /** The version named is a delete marker, which the operation does not apply to (S3's 405). */
    DELETE_MARKER,
    PRECONDITION_FAILED,
    CONDITIONAL_REQUEST_CONFLICT,
    NO_SUCH_UPLOAD,
    INVALID_PART,
    INVALID_PART_ORDER,
    ENTITY_TOO_SMALL,
    /** A bucket's state forbids the change (versioning and Object Lock). */
    INVALID_BUCKET_STATE,
    /** The version is protected by Object Lock (a retention in force or a legal hold). */
    OBJECT_LOCKED,
    /** SSE-C: the object needs its customer key, and the request gave none. */
    CUSTOMER_KEY_REQUIRED,
    /** SSE-C: the request's customer key is not the object's. */
    CUSTOMER_KEY_MISMATCH,
    /** SSE-C: the request gave a customer key for an object written without one. */
    CUSTOMER_KEY_NOT_APPLICABLE,
    /** CAS retries exhausted on a hot key: the client should retry. */
    SLOW_DOWN,
    /** Users and access keys (admin commands only, never an S3 action). */
    INVALID_USER_NAME,
    NO_SUCH_USER,
    USER_ALREADY_EXISTS,
    USER_OWNS_BUCKETS,
    NO_SUCH_ACCESS_KEY
  }

  private final Reason reason;

  public KvException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
