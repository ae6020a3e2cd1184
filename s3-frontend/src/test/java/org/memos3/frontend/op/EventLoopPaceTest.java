package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventLoopPaceTest {
  private static final long US = 1_000;
  private static final long MS = 1_000_000;

  @Test
  void pageCacheReadsStayWithAnOddSlowOne() {
    EventLoopPace p = new EventLoopPace(MS);
    long now = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      now += 100 * US;
      p.took(i % 100 == 0 ? 5 * MS : 40 * US, now); // a preempted read now and then
      assertThat(p.allowed(now)).isTrue();
    }
  }

  @Test
  void diskReadsPauseForASecondThenAreTriedAgain() {
    EventLoopPace p = new EventLoopPace(MS);
    long now = System.nanoTime();
    int reads = 0;
    while (p.allowed(now)) {
      now += 10 * MS;
      p.took(8 * MS, now);
      reads++;
    }
    assertThat(reads).isLessThanOrEqualTo(3);
    assertThat(p.allowed(now + EventLoopPace.PAUSE_NANOS - 1)).isFalse();
    assertThat(p.allowed(now + EventLoopPace.PAUSE_NANOS)).isTrue();
    // The average starts again from nothing: fast reads keep going.
    now += EventLoopPace.PAUSE_NANOS;
    for (int i = 0; i < 100; i++) {
      now += 100 * US;
      p.took(40 * US, now);
      assertThat(p.allowed(now)).isTrue();
    }
  }
}
