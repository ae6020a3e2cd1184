package org.memos3.grid.ignite;

/** Cache key of an immutable block: its 33-byte address (compared by binary form). */
final class BlockKey {
  byte[] a;

  BlockKey(byte[] a) {
    this.a = a;
  }
}
