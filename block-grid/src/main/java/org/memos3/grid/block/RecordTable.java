package org.memos3.grid.block;

import java.util.List;
import java.util.Optional;

/**
 * A table of mutable records keyed by (group, key) and kept in unsigned byte order of the key
 * within a group. Records change only by exact-version compare-and-set: a record created by a CAS
 * has version 1, and each successful CAS increments it. All methods block on grid I/O.
 */
public interface RecordTable {

  Optional<VersionedRecord> get(long group, byte[] key);

  /**
   * Replaces the record at (group, key) if its current version is {@code expectedVersion} (0 means
   * "absent"). {@code value == null} deletes it. One round trip; on a conflict the current record
   * comes back. Safe to retry: a retry that finds its own write already applied reports success, so
   * a value must carry something unique to its writer (heads carry their write id).
   */
  CasResult compareAndSet(long group, byte[] key, long expectedVersion, byte[] value);

  /**
   * Up to {@code limit} records of {@code group} with {@code fromInclusive <= key < toExclusive},
   * in unsigned byte order of the key. {@code toExclusive == null} means the end of the group.
   */
  List<VersionedRecord> range(long group, byte[] fromInclusive, byte[] toExclusive, int limit);

  /** Number of records in the table (all groups). */
  long size();
}
