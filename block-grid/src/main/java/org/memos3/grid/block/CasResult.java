package org.memos3.grid.block;

import java.util.Optional;

/**
 * The outcome of a compare-and-set: applied, or not applied with the record that won (empty if the
 * record is absent).
 */
public record CasResult(boolean applied, Optional<VersionedRecord> current) {
  public static CasResult success(VersionedRecord now) {
    return new CasResult(true, Optional.ofNullable(now));
  }

  public static CasResult conflict(Optional<VersionedRecord> current) {
    return new CasResult(false, current);
  }
}
