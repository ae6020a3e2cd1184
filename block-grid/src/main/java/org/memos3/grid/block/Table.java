package org.memos3.grid.block;

/** The mutable tables of the grid. */
public enum Table {
  /** Bucket records, group 0, key = bucket name. */
  BUCKETS,
  /** Object heads, group = bucket id, key = object key (UTF-8). */
  HEADS,
  /** Version chains of versioned buckets, group = bucket id. */
  VERSIONS,
  /** Multipart uploads, group = bucket id, key = object key + 0 + upload id. */
  UPLOADS,
  /** Parts of multipart uploads, group = bucket id, key = upload id + part number. */
  PARTS,
  /** Users and access keys, group 0. */
  USERS,
  /** Garbage collection queue, group 0, key = due time + address. */
  GC,
  /** Grid-wide settings and the master key check, group 0. */
  META
}
