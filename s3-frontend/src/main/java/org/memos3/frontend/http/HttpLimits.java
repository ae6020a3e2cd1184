package org.memos3.frontend.http;

/**
 * Limits of the HTTP layer.
 *
 * @param maxInitialLine longest request line accepted
 * @param maxHeaderSize largest header section accepted
 * @param bodyHighWater request body bytes buffered per request before reading pauses
 * @param bodyTimeoutMillis how long a body may stall before the request fails
 * @param writeStallMillis how long a client may stop reading a response before it is cut
 * @param idleSeconds how long an idle keep-alive connection stays open
 * @param workers worker threads running S3 handlers (they block on the grid)
 * @param queue requests waiting for a worker before new ones get 503 SlowDown
 * @param inFlightBytes global budget of body and chunk bytes in memory; beyond it, 503 SlowDown
 * @param reservePerRequest the most one request reserves from that budget (its body buffer, chunk
 *     window and response buffer)
 */
public record HttpLimits(
    int maxInitialLine,
    int maxHeaderSize,
    long bodyHighWater,
    long bodyTimeoutMillis,
    long writeStallMillis,
    int idleSeconds,
    int workers,
    int queue,
    long inFlightBytes,
    long reservePerRequest) {
  private static final long MIB = 1024 * 1024;

  /**
   * Defaults; the in-flight budget is half the heap, at most 512 MiB (a request holds its chunk
   * window in heap arrays).
   */
  public static HttpLimits defaults() {
    long budget = Math.min(512 * MIB, Runtime.getRuntime().maxMemory() / 2);
    return new HttpLimits(
        16 * 1024, 64 * 1024, MIB, 60_000, 120_000, 120, 64, 256, budget, 8 * MIB);
  }
}
