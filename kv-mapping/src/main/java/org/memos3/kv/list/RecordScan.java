package org.memos3.kv.list;

import java.util.List;
import java.util.function.Consumer;
import org.memos3.grid.block.RecordTable;
import org.memos3.grid.block.VersionedRecord;

/** Reads every record of a key range page by page, so a scan holds one page at a time. */
public final class RecordScan {
  private RecordScan() {}

  /**
   * Visits the records of {@code group} with keys in {@code [from, to)} ({@code to} null: to the
   * end) in key order, reading {@code page} records per range query.
   */
  public static void forEach(
      RecordTable table,
      long group,
      byte[] from,
      byte[] to,
      int page,
      Consumer<VersionedRecord> visitor) {
    byte[] next = from;
    while (true) {
      List<VersionedRecord> rows = table.range(group, next, to, page);
      rows.forEach(visitor);
      if (rows.size() < page) {
        return;
      }
      next = KeyRanges.successor(rows.get(rows.size() - 1).key());
    }
  }

  /** {@link #forEach} over the whole group. */
  public static void forEach(
      RecordTable table, long group, int page, Consumer<VersionedRecord> visitor) {
    forEach(table, group, new byte[0], null, page, visitor);
  }
}
