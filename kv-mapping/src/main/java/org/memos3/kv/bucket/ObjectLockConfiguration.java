package org.memos3.kv.bucket;

import java.time.Instant;
import java.time.ZoneOffset;
import org.memos3.kv.Codec;

/**
 * A bucket's Object Lock configuration: present means Object Lock is enabled (for good: S3 offers
 * no way back), with an optional default retention that every new version without a retention of
 * its own receives.
 *
 * @param defaultMode the default retention's mode, or null for none
 * @param days the default retention in days (0 when given in years or absent)
 * @param years the default retention in years (0 when given in days or absent)
 */
public record ObjectLockConfiguration(RetentionMode defaultMode, int days, int years) {
  /** The longest default retention S3 takes. */
  public static final int MAX_DAYS = 36_500;

  public static final int MAX_YEARS = 100;

  /** Enabled, without a default retention. */
  public static final ObjectLockConfiguration ENABLED = new ObjectLockConfiguration(null, 0, 0);

  public ObjectLockConfiguration {
    if (defaultMode != null && (days > 0) == (years > 0)) {
      throw new IllegalArgumentException("a default retention has days or years");
    }
    if (days < 0 || days > MAX_DAYS || years < 0 || years > MAX_YEARS) {
      throw new IllegalArgumentException("a default retention of " + days + "d/" + years + "y");
    }
    if (defaultMode == null && (days != 0 || years != 0)) {
      throw new IllegalArgumentException("a default retention without a mode");
    }
  }

  /** The retain-until date of a version written at {@code millis} by default, or 0 for none. */
  public long defaultRetainUntil(long millis) {
    if (defaultMode == null) {
      return 0;
    }
    var at = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
    return (days > 0 ? at.plusDays(days) : at.plusYears(years)).toInstant().toEpochMilli();
  }

  void write(Codec.Writer w) {
    w.u8(defaultMode == null ? 0 : defaultMode.ordinal() + 1).i32(days).i32(years);
  }

  static ObjectLockConfiguration read(Codec.Reader r) {
    int mode = r.u8();
    if (mode > RetentionMode.values().length) {
      throw Codec.corrupt("unknown retention mode " + mode);
    }
    int days = r.i32();
    int years = r.i32();
    try {
      return new ObjectLockConfiguration(
          mode == 0 ? null : RetentionMode.values()[mode - 1], days, years);
    } catch (IllegalArgumentException e) {
      throw Codec.corrupt(e.getMessage());
    }
  }
}
