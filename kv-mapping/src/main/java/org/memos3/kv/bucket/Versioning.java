package org.memos3.kv.bucket;

/** A bucket's versioning state, as S3 names it. */
public enum Versioning {
  /** Never enabled: one "null" version per key. */
  UNVERSIONED,
  ENABLED,
  SUSPENDED
}
