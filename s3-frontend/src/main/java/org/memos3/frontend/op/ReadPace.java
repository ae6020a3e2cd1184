package org.memos3.frontend.op;

/**
 * Whether small reads may still run on the connections' I/O threads. A read there should be a copy
 * from the page cache (tens of microseconds); when the moving average of their times (each new one
 * weighing 1/16) passes {@link #SLOW_NANOS}, they are disk reads that would hold up every
 * connection of the thread, and the reads of the next {@link #PAUSE_NANOS} go to workers. A single
 * slow read (the thread preempted on busy cores) moves the average little. The I/O threads may race
 * on the average; an update lost now and then changes nothing.
 */
final class ReadPace {
  /** Average read time past which reads leave the I/O threads. */
  static final long SLOW_NANOS = 1_000_000;

  /** How long they stay away before the next one is tried there again. */
  static final long PAUSE_NANOS = 1_000_000_000;

  private volatile long average;
  private volatile long pausedUntil = System.nanoTime();

  /** True when a read may run on an I/O thread at {@code now} (System.nanoTime). */
  boolean allowed(long now) {
    return now - pausedUntil >= 0;
  }

  /** Counts a read on an I/O thread that took {@code nanos} and ended at {@code now}. */
  void took(long nanos, long now) {
    long avg = average + (nanos - average) / 16;
    if (avg > SLOW_NANOS) {
      pausedUntil = now + PAUSE_NANOS;
      avg = 0;
    }
    average = avg;
  }
}
