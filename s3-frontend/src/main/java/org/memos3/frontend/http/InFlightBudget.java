package org.memos3.frontend.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The global budget of request and response bytes held in memory. Every data-carrying exchange
 * (PUT, POST, GET) reserves its worst case (its body buffer, its chunk window and its response
 * buffer) before it starts; when the budget is spent the request gets 503 SlowDown at once, so
 * memory stays bounded under any load instead of growing.
 */
final class InFlightBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  InFlightBudget(long capacity) {
    this.capacity = capacity;
  }

  boolean tryReserve(long bytes) {
    while (true) {
      long u = used.get();
      if (u + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(u, u + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }
}
