package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A range of a generated body is the same bytes as that range of the whole stream. */
class GeneratedBodyTest {
  @Test
  void rangesAgreeWithTheWholeStreamAndSeedsDiffer() throws IOException {
    byte[] whole = GeneratedBody.range(42, 0, 10_000).readAllBytes();
    assertThat(whole).hasSize(10_000);
    for (int[] r : new int[][] {{0, 1}, {3, 17}, {8, 64}, {999, 4001}, {9_990, 10}}) {
      // Read in odd-sized pieces to cross word boundaries inside read(byte[], int, int).
      var in = GeneratedBody.range(42, r[0], r[1]);
      byte[] got = new byte[r[1]];
      int n = 0;
      int piece = 1;
      while (n < got.length) {
        int k = in.read(got, n, Math.min(piece, got.length - n));
        assertThat(k).isPositive();
        n += k;
        piece = piece * 3 + 1;
      }
      assertThat(in.read()).isEqualTo(-1);
      assertThat(got).isEqualTo(Arrays.copyOfRange(whole, r[0], r[0] + r[1]));
    }
    assertThat(GeneratedBody.range(43, 0, 10_000).readAllBytes()).isNotEqualTo(whole);
    var single = GeneratedBody.range(42, 5, 3);
    assertThat(new int[] {single.read(), single.read(), single.read(), single.read()})
        .containsExactly(whole[5] & 0xff, whole[6] & 0xff, whole[7] & 0xff, -1);
  }
}
