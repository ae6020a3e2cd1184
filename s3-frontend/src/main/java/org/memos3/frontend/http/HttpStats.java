package org.memos3.frontend.http;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of the S3 HTTP layer, read by the metrics of the node (this package knows nothing of the
 * metrics library): bytes received and sent on S3 connections (wire bytes, headers included),
 * requests refused with 503 SlowDown, and the bytes reserved from the in-flight budget.
 */
public final class HttpStats {
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder slowDowns = new LongAdder();
  private volatile LongSupplier budgetUsed = () -> 0;
  private volatile long budgetCapacity;

  public long bytesIn() {
    return bytesIn.sum();
  }

  public long bytesOut() {
    return bytesOut.sum();
  }

  /** Requests answered 503 SlowDown by the HTTP layer (budget spent or worker queue full). */
  public long slowDowns() {
    return slowDowns.sum();
  }

  /** Bytes currently reserved from the in-flight budget. */
  public long inFlightBytes() {
    return budgetUsed.getAsLong();
  }

  /** The in-flight budget. */
  public long inFlightCapacity() {
    return budgetCapacity;
  }

  void budget(InFlightBudget budget, long capacity) {
    this.budgetUsed = budget::used;
    this.budgetCapacity = capacity;
  }
}
