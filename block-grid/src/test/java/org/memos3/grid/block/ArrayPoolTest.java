package org.memos3.grid.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArrayPoolTest {

  @Test
  void aGivenBackArrayIsTakenAgain() {
    ArrayPool pool = new ArrayPool(1024, 2);
    byte[] a = pool.take(100);
    assertEquals(1024, a.length);
    pool.give(a);
    assertSame(a, pool.take(1024));
    assertNotSame(a, pool.take(10));
  }

  @Test
  void lengthsOverTheCapacityGetExactArraysThatAreNotKept() {
    ArrayPool pool = new ArrayPool(1024, 2);
    byte[] big = pool.take(2000);
    assertEquals(2000, big.length);
    pool.give(big);
    assertEquals(0, pool.idle());
  }

  @Test
  void atMostMaxIdleArraysWait() {
    ArrayPool pool = new ArrayPool(16, 2);
    pool.give(new byte[16]);
    pool.give(new byte[16]);
    pool.give(new byte[16]);
    pool.give(null);
    assertEquals(2, pool.idle());
  }

  @Test
  void aSliceReleasesIntoItsPoolOnly() {
    ArrayPool pool = new ArrayPool(16, 2);
    Slice.of(new byte[16]).release();
    assertEquals(0, pool.idle());
    new Slice(pool.take(3), 3, pool).release();
    assertEquals(1, pool.idle());
  }

  @Test
  void sizesMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ArrayPool(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ArrayPool(1, 0));
  }
}
