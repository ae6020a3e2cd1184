package org.memos3.kv.list;

import java.util.Arrays;

/** Byte-order helpers for key ranges: S3 lists keys in unsigned UTF-8 byte order. */
public final class KeyRanges {
  private KeyRanges() {}

  /** The smallest key greater than {@code key}. */
  public static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /**
   * The smallest key greater than every key that starts with {@code prefix}; null when there is
   * none (empty prefix or all 0xFF), meaning "to the end".
   */
  public static byte[] prefixEnd(byte[] prefix) {
    int i = prefix.length - 1;
    while (i >= 0 && prefix[i] == (byte) 0xFF) {
      i--;
    }
    if (i < 0) {
      return null;
    }
    byte[] end = Arrays.copyOf(prefix, i + 1);
    end[i]++;
    return end;
  }

  /** Index of {@code needle} in {@code hay} at or after {@code from}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** True when {@code key} starts with {@code prefix}. */
  public static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  public static byte[] max(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
