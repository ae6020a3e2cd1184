package org.memos3.kv.bucket;

/**
 * S3 Object Lock's retention modes. GOVERNANCE may be shortened or lifted by a caller who asks to
 * bypass it; COMPLIANCE by nobody until its date has passed.
 */
public enum RetentionMode {
  GOVERNANCE,
  COMPLIANCE
}
