package org.memos3.grid.block;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte arrays of one capacity (a sealed chunk's), reused: a large GET reads and opens a chunk per
 * MiB, and a new array for each costs its zeroing and keeps the young generation churning (a 1 MiB
 * chunk read into a fresh array and opened into another ran at 1,300-1,830 MiB/s on the benchmark
 * machine, into reused ones at 2,160-2,760; DESIGN.md section 10, "Reused chunk arrays").
 *
 * <p>{@link #take} hands out an idle array or a new one; the one owner of an array gives it back
 * with {@link #give} once nothing reads it any more, and never touches it afterwards. Arrays that
 * are not given back are simply collected. At most {@code maxIdle} arrays wait in the pool, so it
 * holds at most {@code maxIdle x capacity} bytes. Thread-safe.
 */
public final class ArrayPool {
  private final int capacity;
  private final ArrayBlockingQueue<byte[]> idle;

  public ArrayPool(int capacity, int maxIdle) {
    if (capacity <= 0 || maxIdle <= 0) {
      throw new IllegalArgumentException("capacity and maxIdle must be positive");
    }
    this.capacity = capacity;
    this.idle = new ArrayBlockingQueue<>(maxIdle);
  }

  /** The length of the arrays this pool keeps. */
  public int capacity() {
    return capacity;
  }

  /**
   * An array of at least {@code length} bytes, whose content is undefined: a pooled one when {@code
   * length} fits the capacity, else a new array of exactly {@code length}.
   */
  public byte[] take(int length) {
    if (length > capacity) {
      return new byte[length];
    }
    byte[] a = idle.poll();
    return a != null ? a : new byte[capacity];
  }

  /** Gives back an array from {@link #take}; arrays of another length are left to the GC. */
  public void give(byte[] a) {
    if (a != null && a.length == capacity) {
      idle.offer(a);
    }
  }

  /** Arrays waiting in the pool (for tests). */
  int idle() {
    return idle.size();
  }
}
