package org.memos3.frontend.op;

/**
 * Whether small chunk reads (or writes) may still run on the connections' I/O threads. One should
 * take tens or a few hundred microseconds there (a copy from or into the page cache); when the
 * moving average of their times (each new one weighing 1/16) passes {@code slowNanos}, they wait
 * for a disk and would hold up every connection of the thread, and those of the next {@link
 * #PAUSE_NANOS} go to workers. A single slow one (the thread preempted on busy cores) moves the
 * average little. The I/O threads may race on the average; an update lost now and then changes
 * nothing.
 */
final class EventLoopPace {
  /** How long they stay away before the next one is tried there again. */
  static final long PAUSE_NANOS = 1_000_000_000;

  private final long slowNanos;
  private volatile long average;
  private volatile long pausedUntil = System.nanoTime();

  /** Pauses when the average passes {@code slowNanos}. */
  EventLoopPace(long slowNanos) {
    this.slowNanos = slowNanos;
  }

  /** True when one may run on an I/O thread at {@code now} (System.nanoTime). */
  boolean allowed(long now) {
    return now - pausedUntil >= 0;
  }

  /** Counts one that ran on an I/O thread, took {@code nanos} and ended at {@code now}. */
  void took(long nanos, long now) {
    long avg = average + (nanos - average) / 16;
    if (avg > slowNanos) {
      pausedUntil = now + PAUSE_NANOS;
      avg = 0;
    }
    average = avg;
  }
}
