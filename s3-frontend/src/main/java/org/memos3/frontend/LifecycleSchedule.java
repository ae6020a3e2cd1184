package org.memos3.frontend;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.memos3.kv.lifecycle.LifecycleRunner;

/**
 * Runs the buckets' lifecycle rules on the node's background scheduler (shared with GC), every
 * {@code -Dmemo.lifecycle.interval.ms} (default one hour; 0 turns it off), the first run one
 * interval after start. Every node runs it; its deletions are guarded, so that is safe.
 */
final class LifecycleSchedule {
  static final String INTERVAL_PROPERTY = "memo.lifecycle.interval.ms";
  static final long DEFAULT_INTERVAL_MILLIS = 3_600_000L;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(LifecycleSchedule.class);

  private LifecycleSchedule() {}

  static void start(ScheduledExecutorService ses, LifecycleRunner runner) {
    long interval = Long.getLong(INTERVAL_PROPERTY, DEFAULT_INTERVAL_MILLIS);
    if (interval <= 0) {
      return;
    }
    ses.scheduleWithFixedDelay(
        () -> {
          try {
            LifecycleRunner.Report r = runner.run();
            if (r.expired() + r.noncurrentRemoved() + r.markersRemoved() + r.aborted() > 0) {
              LOG.info("lifecycle: {}", r);
            }
          } catch (RuntimeException e) {
            LOG.warn("lifecycle run failed: {}", e.toString());
          }
        },
        interval,
        interval,
        TimeUnit.MILLISECONDS);
  }
}
