package org.memos3.kv.object;

import org.memos3.kv.Codec;
import org.memos3.kv.bucket.ObjectLockConfiguration;
import org.memos3.kv.bucket.RetentionMode;

/**
 * A version's Object Lock state: its retention (a mode and the date until which it holds) and its
 * legal hold. A version that either protects cannot be deleted by version id; a delete without one
 * adds a delete marker as usual.
 *
 * @param mode the retention mode, or null for no retention
 * @param retainUntilMillis the retention's end (meaningless without a mode)
 * @param legalHold true for ON, false for OFF, null when never set
 */
public record ObjectLock(RetentionMode mode, long retainUntilMillis, Boolean legalHold) {
  /** No retention, no legal hold. */
  public static final ObjectLock NONE = new ObjectLock(null, 0, null);

  public ObjectLock {
    if (mode == null) {
      retainUntilMillis = 0;
    }
  }

  /** Whether the retention still holds at {@code now}. */
  public boolean retained(long now) {
    return mode != null && retainUntilMillis > now;
  }

  /** Whether the legal hold is on. */
  public boolean held() {
    return Boolean.TRUE.equals(legalHold);
  }

  /**
   * Whether deleting the version is refused at {@code now}: a legal hold or a retention still in
   * force, except a GOVERNANCE retention when {@code bypassGovernance}.
   */
  public boolean protects(long now, boolean bypassGovernance) {
    return held() || retained(now) && !(bypassGovernance && mode == RetentionMode.GOVERNANCE);
  }

  public ObjectLock withRetention(RetentionMode m, long until) {
    return new ObjectLock(m, until, legalHold);
  }

  public ObjectLock withLegalHold(boolean on) {
    return new ObjectLock(mode, retainUntilMillis, on);
  }

  /**
   * This lock as a new version written at {@code millis} into a bucket configured with {@code
   * config} gets it: the bucket's default retention unless the write gave a retention itself.
   */
  public ObjectLock withDefault(ObjectLockConfiguration config, long millis) {
    if (mode != null || config == null || config.defaultMode() == null) {
      return this;
    }
    return withRetention(config.defaultMode(), config.defaultRetainUntil(millis));
  }

  public void write(Codec.Writer w) {
    w.u8(mode == null ? 0 : mode.ordinal() + 1)
        .i64(retainUntilMillis)
        .u8(legalHold == null ? 0 : legalHold ? 2 : 1);
  }

  public static ObjectLock read(Codec.Reader r) {
    int m = r.u8();
    long until = r.i64();
    int hold = r.u8();
    if (m > RetentionMode.values().length || hold > 2) {
      throw Codec.corrupt("bad object lock " + m + "/" + hold);
    }
    return new ObjectLock(
        m == 0 ? null : RetentionMode.values()[m - 1], until, hold == 0 ? null : hold == 2);
  }
}
