package org.memos3.kv.bucket;

import java.util.Locale;

/**
 * What a grant on a bucket lets a user do; each level includes the ones before it. The frontend
 * decides which level an S3 action needs.
 */
public enum Permission {
  /** GET and HEAD objects, list objects and versions, HEAD the bucket, read its settings. */
  READ,
  /** READ plus PUT, copy and DELETE objects and every multipart action. */
  WRITE,
  /** Everything, including deleting the bucket and changing its versioning. */
  OWNER;

  /** True when this level includes {@code needed}. */
  public boolean allows(Permission needed) {
    return ordinal() >= needed.ordinal();
  }

  /** The lower-case name used on the command line: read, write, owner. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code read|write|owner} (any case); anything else is an IllegalArgumentException. */
  public static Permission parse(String s) {
    for (Permission p : values()) {
      if (p.label().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("permission must be read, write or owner, got " + s);
  }
}
