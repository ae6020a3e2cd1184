package org.memos3.frontend.op;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts integrity failures (a block that failed its address check, or a missing block) met by
 * requests in this process; read by the metrics. Process-wide, like the log lines it mirrors.
 */
public final class IntegrityFailures {
  private static final LongAdder COUNT = new LongAdder();

  private IntegrityFailures() {}

  static void record() {
    COUNT.increment();
  }

  public static long count() {
    return COUNT.sum();
  }
}
