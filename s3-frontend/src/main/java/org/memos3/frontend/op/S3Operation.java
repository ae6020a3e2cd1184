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
  CREATE_MULTIPART_UPLOAD,
  UPLOAD_PART,
  UPLOAD_PART_COPY,
  COMPLETE_MULTIPART_UPLOAD,
  ABORT_MULTIPART_UPLOAD,
  LIST_PARTS,
  LIST_MULTIPART_UPLOADS,
  /** Recognised as S3 but not implemented: answers 501 NotImplemented. */
  NOT_IMPLEMENTED,
  /** Not an S3 action for this resource: answers 405 MethodNotAllowed. */
  METHOD_NOT_ALLOWED
}
