package org.memos3.kv.object;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.memos3.grid.block.Cas;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.Table;
import org.memos3.grid.block.VersionedRecord;
import org.memos3.kv.bucket.Bucket;
import org.memos3.kv.list.KeyRanges;

/**
 * The noncurrent versions of keys in versioned buckets (the VERSIONS table). A row's key is the
 * object key, a 0 byte, then the head sequence at which that version was current, inverted, so a
 * key's versions read newest first. A version is recorded here in the same {@link
 * org.memos3.grid.Grid#compareAndSetAll} as the head CAS that makes it noncurrent, and a version
 * promoted back to the head leaves here in the one that promotes it: a version is never in both
 * places, nor, while its blocks live, in neither. (Grids with ATOMIC caches apply the two one by
 * one, recording first: a version recorded by a CAS that then lost is a duplicate that readers skip
 * by version id.)
 */
final class VersionLog {
  private final RecordTable versions;

  VersionLog(RecordTable versions) {
    this.versions = versions;
  }

  /** A noncurrent version: its sequence, row CAS version and head. */
  record Entry(long seq, long rowVersion, byte[] rowKey, ObjectHead head) {}

  static byte[] rowKey(byte[] key, long seq) {
    return ByteBuffer.allocate(key.length + 9)
        .put(key)
        .put((byte) 0)
        .putLong(Long.MAX_VALUE - seq)
        .array();
  }

  private static byte[] keyPrefix(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /**
   * The CAS that records {@code head}, current at head sequence {@code seq}, as a version; empty
   * when that row exists already (recording is idempotent).
   */
  Optional<Cas> record(Bucket b, byte[] bucketKey, byte[] key, long seq, ObjectHead head) {
    byte[] rk = rowKey(key, seq);
    if (versions.get(b.id(), rk).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new Cas(Table.VERSIONS, b.id(), rk, 0, head.seal(bucketKey, b.id(), key)));
  }

  /** Up to {@code limit} versions of {@code key}, newest first, after sequence {@code below}. */
  List<Entry> versionsOf(Bucket b, byte[] bucketKey, byte[] key, long below, int limit) {
    byte[] from =
        below == Long.MAX_VALUE ? keyPrefix(key) : KeyRanges.successor(rowKey(key, below));
    List<Entry> out = new ArrayList<>();
    for (VersionedRecord r :
        versions.range(b.id(), from, KeyRanges.prefixEnd(keyPrefix(key)), limit)) {
      long seq = Long.MAX_VALUE - ByteBuffer.wrap(r.key(), r.key().length - 8, 8).getLong();
      out.add(
          new Entry(seq, r.version(), r.key(), ObjectHead.open(r.value(), bucketKey, b.id(), key)));
    }
    return out;
  }

  /** The version of {@code key} with {@code versionId}, newest first scan. */
  Optional<Entry> find(Bucket b, byte[] bucketKey, byte[] key, String versionId) {
    long below = Long.MAX_VALUE;
    while (true) {
      List<Entry> page = versionsOf(b, bucketKey, key, below, 1000);
      for (Entry e : page) {
        if (e.head().versionId().equals(versionId)) {
          return Optional.of(e);
        }
      }
      if (page.size() < 1000) {
        return Optional.empty();
      }
      below = page.get(page.size() - 1).seq();
    }
  }

  /** Replaces a version row's value (tags); true if this call did. */
  boolean replace(Bucket b, Entry e, byte[] value) {
    return versions.compareAndSet(b.id(), e.rowKey(), e.rowVersion(), value).applied();
  }

  /** The CAS that removes a version row. */
  static Cas removal(Bucket b, Entry e) {
    return new Cas(Table.VERSIONS, b.id(), e.rowKey(), e.rowVersion(), null);
  }

  /** Removes a version row; true if this call removed it. */
  boolean remove(Bucket b, Entry e) {
    return versions.compareAndSet(b.id(), e.rowKey(), e.rowVersion(), null).applied();
  }
}
