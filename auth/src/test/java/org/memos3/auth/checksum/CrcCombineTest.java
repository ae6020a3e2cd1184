package org.memos3.auth.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CrcCombineTest {
  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32C", "CRC64NVME"})
  void combiningPartsGivesTheWholeCrc(ChecksumAlgorithm alg) {
    Random rnd = new Random(1);
    for (int trial = 0; trial < 20; trial++) {
      byte[] data = new byte[rnd.nextInt(5000)];
      rnd.nextBytes(data);
      int cut = data.length == 0 ? 0 : rnd.nextInt(data.length + 1);
      byte[] whole = digest(alg, data);
      byte[] a = digest(alg, Arrays.copyOfRange(data, 0, cut));
      byte[] b = digest(alg, Arrays.copyOfRange(data, cut, data.length));
      assertThat(CrcCombine.combine(alg, a, b, data.length - cut)).isEqualTo(whole);
    }
  }

  private static byte[] digest(ChecksumAlgorithm alg, byte[] data) {
    StreamingChecksum c = alg.newChecksum();
    c.update(data, 0, data.length);
    return c.digest();
  }
}
