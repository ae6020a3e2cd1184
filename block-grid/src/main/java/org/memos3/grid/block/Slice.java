package org.memos3.grid.block;

/**
 * The bytes {@code array[0, length)}: a block read into an array that may be longer. {@code pool}
 * is the {@link ArrayPool} the array came from (null when it came from none), to which {@link
 * #release()} gives it back.
 */
public record Slice(byte[] array, int length, ArrayPool pool) {

  /** The whole of {@code bytes}, from no pool. */
  public static Slice of(byte[] bytes) {
    return new Slice(bytes, bytes.length, null);
  }

  /** Gives the array back to its pool; the slice must not be read afterwards. */
  public void release() {
    if (pool != null) {
      pool.give(array);
    }
  }
}
