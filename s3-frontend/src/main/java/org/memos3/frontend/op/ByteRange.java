package org.memos3.frontend.op;

import org.memos3.frontend.error.S3ErrorCode;
import org.memos3.frontend.error.S3ErrorException;

/**
 * A single HTTP byte range resolved against an object size: {@code [start, end]} inclusive. S3
 * ignores a Range header it cannot parse (and multiple ranges) and serves the whole object; an
 * unsatisfiable range is 416 InvalidRange.
 */
record ByteRange(long start, long end) {

  long length() {
    return end - start + 1;
  }

  /** The range to serve, or null for the whole object. */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
      return null;
    }
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return null;
        }
        long n = Long.parseLong(b);
        if (n < 0) {
          return null;
        }
        if (n == 0 || size == 0) {
          throw unsatisfiable();
        }
        return new ByteRange(Math.max(0, size - n), size - 1);
      }
      long start = Long.parseLong(a);
      long end = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
      if (start < 0 || end < start) {
        return null;
      }
      if (start >= size) {
        throw unsatisfiable();
      }
      return new ByteRange(start, Math.min(end, size - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static S3ErrorException unsatisfiable() {
    return new S3ErrorException(S3ErrorCode.INVALID_RANGE);
  }
}
