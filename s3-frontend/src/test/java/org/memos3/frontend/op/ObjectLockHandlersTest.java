package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.memos3.kv.bucket.RetentionMode;
import org.memos3.kv.object.ObjectLock;

/** The rules of changing a retention, and the dates S3 takes. */
class ObjectLockHandlersTest {
  private static final long NOW = 1_000_000;
  private static final RetentionMode GOV = RetentionMode.GOVERNANCE;
  private static final RetentionMode COMP = RetentionMode.COMPLIANCE;

  @Test
  void aRetentionInForceOnlyGrowsUnlessGovernanceIsBypassed() {
    ObjectLock gov = new ObjectLock(GOV, NOW + 10, null);
    ObjectLock comp = new ObjectLock(COMP, NOW + 10, null);
    // Same mode, same or later date: always.
    assertThat(ObjectLockHandlers.mayChange(gov, GOV, NOW + 10, false, NOW)).isTrue();
    assertThat(ObjectLockHandlers.mayChange(comp, COMP, NOW + 11, false, NOW)).isTrue();
    // Earlier, another mode, or removed: GOVERNANCE with the bypass only, COMPLIANCE never.
    for (RetentionMode m : new RetentionMode[] {GOV, COMP, null}) {
      long until = m == GOV ? NOW + 5 : NOW + 20;
      if (m == COMP) {
        assertThat(ObjectLockHandlers.mayChange(gov, m, until, false, NOW)).isFalse();
        assertThat(ObjectLockHandlers.mayChange(gov, m, until, true, NOW)).isTrue();
        continue;
      }
      assertThat(ObjectLockHandlers.mayChange(gov, m, until, false, NOW)).as("%s", m).isFalse();
      assertThat(ObjectLockHandlers.mayChange(gov, m, until, true, NOW)).as("%s", m).isTrue();
    }
    assertThat(ObjectLockHandlers.mayChange(comp, COMP, NOW + 5, true, NOW)).isFalse();
    assertThat(ObjectLockHandlers.mayChange(comp, GOV, NOW + 20, true, NOW)).isFalse();
    assertThat(ObjectLockHandlers.mayChange(comp, null, 0, true, NOW)).isFalse();
    // Once ended, or never set, anything goes.
    assertThat(ObjectLockHandlers.mayChange(comp, null, 0, false, NOW + 10)).isTrue();
    assertThat(ObjectLockHandlers.mayChange(ObjectLock.NONE, GOV, NOW + 1, false, NOW)).isTrue();
    // A legal hold is no retention: it never stands in a retention's way.
    assertThat(
            ObjectLockHandlers.mayChange(ObjectLock.NONE.withLegalHold(true), COMP, 1, false, NOW))
        .isTrue();
  }

  @Test
  void datesAreIso8601WithAZoneOrOffset() {
    assertThat(ObjectLockHandlers.date("2030-01-02T03:04:05Z")).contains(1893553445000L);
    assertThat(ObjectLockHandlers.date("2030-01-02T03:04:05.250Z")).contains(1893553445250L);
    assertThat(ObjectLockHandlers.date("2030-01-02T04:04:05+01:00")).contains(1893553445000L);
    assertThat(ObjectLockHandlers.date("2030-01-02T03:04:05")).isEmpty();
    assertThat(ObjectLockHandlers.date("Wed, 02 Jan 2030 03:04:05 GMT")).isEmpty();
    assertThat(ObjectLockHandlers.date("")).isEmpty();
  }
}
