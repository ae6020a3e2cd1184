package org.memos3.grid.ignite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;

class VerifiedBlockCacheTest {
  private static byte[] block(String s, int size) {
    byte[] b = new byte[size];
    byte[] t = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(t, 0, b, 0, Math.min(t.length, size));
    return b;
  }

  private static BlockAddress at(byte[] b) {
    return BlockAddress.of(BlockType.MANIFEST, b);
  }

  @Test
  void keepsTheMostRecentlyUsedWithinItsBytes() {
    VerifiedBlockCache c = new VerifiedBlockCache(3000);
    byte[] a = block("a", 1000);
    byte[] b = block("b", 1000);
    byte[] d = block("d", 1000);
    byte[] e = block("e", 1000);
    c.put(at(a), a);
    c.put(at(b), b);
    c.put(at(d), d);
    assertThat(c.get(at(a))).isEqualTo(a); // a is now the most recent
    c.put(at(e), e); // evicts b, the least recently used
    assertThat(c.get(at(b))).isNull();
    assertThat(c.get(at(a))).isEqualTo(a);
    assertThat(c.get(at(d))).isEqualTo(d);
    assertThat(c.get(at(e))).isEqualTo(e);
    assertThat(c.bytes()).isEqualTo(3000);
  }

  @Test
  void removeForgetsAndCountsBack() {
    VerifiedBlockCache c = new VerifiedBlockCache(10_000);
    byte[] a = block("a", 100);
    c.put(at(a), a);
    c.remove(at(a));
    assertThat(c.get(at(a))).isNull();
    assertThat(c.bytes()).isZero();
    c.remove(at(a)); // absent: nothing happens
    assertThat(c.bytes()).isZero();
  }

  @Test
  void leavesOutBlocksTooLargeForItOrAboveTheLimit() {
    VerifiedBlockCache small = new VerifiedBlockCache(500);
    byte[] a = block("a", 501);
    small.put(at(a), a);
    assertThat(small.get(at(a))).isNull();
    VerifiedBlockCache big = new VerifiedBlockCache(1L << 30);
    byte[] huge = block("h", VerifiedBlockCache.MAX_BLOCK + 1);
    big.put(at(huge), huge);
    assertThat(big.get(at(huge))).isNull();
    assertThat(new VerifiedBlockCache(0).bytes()).isZero();
  }

  @Test
  void chunksNeverEnter() {
    VerifiedBlockCache c = new VerifiedBlockCache(10_000);
    byte[] chunk = block("chunk", 100);
    BlockAddress a = BlockAddress.of(BlockType.CHUNK, chunk);
    c.put(a, chunk);
    assertThat(c.get(a)).isNull();
    assertThat(c.bytes()).isZero();
  }

  @Test
  void callersOwnWhatTheyPutAndGet() {
    VerifiedBlockCache c = new VerifiedBlockCache(10_000);
    byte[] a = block("a", 100);
    BlockAddress addr = at(a);
    c.put(addr, a);
    a[0] = 'x'; // the caller's array is not the cache's
    byte[] got = c.get(addr);
    assertThat(got[0]).isEqualTo((byte) 'a');
    got[0] = 'y'; // nor is what a caller got
    assertThat(c.get(addr)[0]).isEqualTo((byte) 'a');
  }
}
