package org.memos3.grid.ignite;

/**
 * Cache key of a mutable record. Ignite hashes and compares keys by their binary form, so the
 * {@code byte[]} field behaves as a value here.
 */
final class RowKey {
  long g;
  byte[] k;

  RowKey(long g, byte[] k) {
    this.g = g;
    this.k = k;
  }
}
