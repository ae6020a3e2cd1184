package org.memos3.grid;

/** The one failure type of block-grid; callers switch on {@link Reason}, never on the message. */
public final class GridException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a grid operation failed. */
  public enum Reason {
    /** A block or record failed its integrity check (address, GCM tag, format). */
    CORRUPT_BLOCK,
    /** A block that a committed record refers to is not in the grid. */
    MISSING_BLOCK,
    /** The grid cannot serve now (lost partitions, timeout, node stopping): retry later. */
    UNAVAILABLE,
    /** The storage is full: writes are refused, reads still work. */
    NO_SPACE,
    /** The master key does not match the one this grid was created with. */
    WRONG_MASTER_KEY,
    /** A setting fixed at creation differs from the one recorded in the grid. */
    SETTINGS_MISMATCH,
    /** A file the operator configured cannot be used (unreadable, malformed, expired). */
    BAD_SETTING
  }

  private final Reason reason;

  public GridException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public GridException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
