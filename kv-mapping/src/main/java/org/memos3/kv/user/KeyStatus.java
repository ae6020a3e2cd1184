package org.memos3.kv.user;

import java.util.Locale;

/** Whether an access key may sign requests. A revoked key stays listed but never signs again. */
public enum KeyStatus {
  ACTIVE,
  REVOKED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
