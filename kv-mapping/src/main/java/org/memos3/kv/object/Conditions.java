package org.memos3.kv.object;

/**
 * Conditional-write preconditions, decided against the head that the CAS replaces.
 *
 * @param ifMatch the ETag the current object must have (unquoted), or null
 * @param ifNoneMatchAny {@code If-None-Match: *}: the key must not exist
 */
public record Conditions(String ifMatch, boolean ifNoneMatchAny) {
  public static final Conditions NONE = new Conditions(null, false);

  public boolean any() {
    return ifMatch != null || ifNoneMatchAny;
  }
}
