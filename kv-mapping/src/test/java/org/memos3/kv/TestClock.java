package org.memos3.kv;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves forward by setting {@link #now}; starts at 2023-11-14T22:13:20Z. */
public final class TestClock extends Clock {
  public long now = 1_700_000_000_000L;

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(now);
  }
}
