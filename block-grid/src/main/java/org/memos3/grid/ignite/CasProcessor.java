package org.memos3.grid.ignite;

import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * The exact-version compare-and-set, run on the primary node of the key in one round trip. Pure:
 * Ignite may run it more than once, and a retry that finds its own value already applied reports
 * success.
 */
final class CasProcessor implements CacheEntryProcessor<RowKey, Row, CasProcessor.Reply> {
  private static final long serialVersionUID = 1L;

  private final long expected;
  private final Row next;

  /** The result: applied or not, and the record now stored (null when absent). */
  static final class Reply {
    final boolean ok;
    final Row current;

    Reply(boolean ok, Row current) {
      this.ok = ok;
      this.current = current;
    }
  }

  CasProcessor(long expected, Row next) {
    this.expected = expected;
    this.next = next;
  }

  @Override
  public Reply process(MutableEntry<RowKey, Row> entry, Object... args) {
    Row cur = entry.getValue();
    long curVersion = cur == null ? 0 : cur.v;
    if (curVersion != expected) {
      boolean alreadyMine =
          next != null && cur != null && cur.v == next.v && java.util.Arrays.equals(cur.d, next.d);
      return new Reply(alreadyMine, cur);
    }
    if (next == null) {
      entry.remove();
      return new Reply(true, null);
    }
    entry.setValue(next);
    return new Reply(true, next);
  }
}
