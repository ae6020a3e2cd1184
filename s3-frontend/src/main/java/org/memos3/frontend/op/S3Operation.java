package org.memos3.frontend.op;

/** Every S3 action memo-s3 recognises, for dispatch, logs and metrics. */
public enum S3Operation {
  LIST_BUCKETS,
  CREATE_BUCKET,
  DELETE_BUCKET,
  HEAD_BUCKET,
  GET_BUCKET_LOCATION,
  GET_BUCKET_VERSIONING,
  PUT_BUCKET_VERSIONING,
  LIST_OBJECT_VERSIONS,
  LIST_OBJECTS,
  LIST_OBJECTS_V2,
  PUT_OBJECT,
  COPY_OBJECT,
  GET_OBJECT,
  HEAD_OBJECT,
  DELETE_OBJECT,
  DELETE_OBJECTS,
  GET_OBJECT_ATTRIBUTES,
  GET_OBJECT_TAGGING,
  PUT_OBJECT_TAGGING,
  DELETE_OBJECT_TAGGING,
  CREATE_MULTIPART_UPLOAD,
  UPLOAD_PART,
  UPLOAD_PART_COPY,
  COMPLETE_MULTIPART_UPLOAD,
  ABORT_MULTIPART_UPLOAD,
  LIST_PARTS,
  LIST_MULTIPART_UPLOADS,
  GET_BUCKET_TAGGING,
  PUT_BUCKET_TAGGING,
  DELETE_BUCKET_TAGGING,
  GET_BUCKET_ACL,
  PUT_BUCKET_ACL,
  GET_OBJECT_ACL,
  PUT_OBJECT_ACL,
  GET_BUCKET_CORS,
  PUT_BUCKET_CORS,
  DELETE_BUCKET_CORS,
  GET_BUCKET_LIFECYCLE,
  PUT_BUCKET_LIFECYCLE,
  DELETE_BUCKET_LIFECYCLE,
  GET_BUCKET_ENCRYPTION,
  PUT_BUCKET_ENCRYPTION,
  DELETE_BUCKET_ENCRYPTION,
  GET_BUCKET_POLICY,
  PUT_BUCKET_POLICY,
  DELETE_BUCKET_POLICY,
  /**
   * A POST to a bucket other than DeleteObjects: S3's browser-form upload (POST Object) when its
   * Content-Type is {@code multipart/form-data} (the form carries its own signature), else 412
   * PreconditionFailed, as S3 answers.
   */
  POST_OBJECT,
  /** A browser's CORS preflight ({@code OPTIONS}): answered without authentication. */
  CORS_PREFLIGHT,
  /** Recognised as S3 but not implemented: answers 501 NotImplemented. */
  NOT_IMPLEMENTED,
  /** Not an S3 action for this resource: answers 405 MethodNotAllowed. */
  METHOD_NOT_ALLOWED
}
