package org.memos3.grid.ignite;

/**
 * The stored form of a mutable record. {@code g} and {@code k} are query fields with one sorted
 * index, so that a range of keys within a group is an index seek; {@code v} is the CAS version and
 * {@code d} the opaque (encrypted) value.
 */
final class Row {
  long g;
  byte[] k;
  long v;
  byte[] d;

  Row(long g, byte[] k, long v, byte[] d) {
    this.g = g;
    this.k = k;
    this.v = v;
    this.d = d;
  }
}
