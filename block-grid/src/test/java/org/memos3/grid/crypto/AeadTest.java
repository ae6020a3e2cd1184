package org.memos3.grid.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.memos3.grid.GridException;

class AeadTest {
  private static final int[] SIZES = {
    0,
    1,
    15,
    16,
    17,
    Aead.SEAL_PIECE - 1,
    Aead.SEAL_PIECE,
    Aead.SEAL_PIECE + 1,
    2 * Aead.SEAL_PIECE,
    1024 * 1024,
    1024 * 1024 + 5
  };

  /** Sealing in pieces must give exactly the bytes of one doFinal (readers of old data). */
  @Test
  void piecewiseSealEqualsOneCallAndRoundTrips() throws Exception {
    byte[] key = Aead.newKey();
    byte[] aad = Aead.aad("chunk", 7, 9);
    Random r = new Random(1);
    for (int size : SIZES) {
      byte[] plain = new byte[size + 3];
      r.nextBytes(plain);
      byte[] sealed = Aead.seal(key, aad, plain, 3, size);

      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, sealed, 2, 12));
      c.updateAAD(sealed, 0, 2);
      c.updateAAD(aad);
      byte[] reference = c.doFinal(sealed, Aead.HEADER, sealed.length - Aead.HEADER);
      assertThat(reference).as("size %d", size).isEqualTo(Arrays.copyOfRange(plain, 3, 3 + size));

      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, Arrays.copyOfRange(sealed, 2, 14)));
      c.updateAAD(sealed, 0, 2);
      c.updateAAD(aad);
      byte[] oneCall = c.doFinal(plain, 3, size);
      assertThat(Arrays.copyOfRange(sealed, Aead.HEADER, sealed.length))
          .as("size %d", size)
          .isEqualTo(oneCall);

      assertThat(Aead.open(key, aad, sealed)).isEqualTo(Arrays.copyOfRange(plain, 3, 3 + size));
      assertThat(Aead.plainLength(sealed)).isEqualTo(size);
    }
  }

  @Test
  void alteredByteFailsAsCorruptBlock() {
    byte[] key = Aead.newKey();
    byte[] sealed = Aead.seal(key, new byte[0], new byte[3 * Aead.SEAL_PIECE]);
    sealed[Aead.HEADER + 2 * Aead.SEAL_PIECE + 1] ^= 1;
    assertThatThrownBy(() -> Aead.open(key, new byte[0], sealed))
        .isInstanceOfSatisfying(
            GridException.class,
            e -> assertThat(e.reason()).isEqualTo(GridException.Reason.CORRUPT_BLOCK));
  }

  /** Opening into a caller's array: a sealed value at the start of a longer array, reused. */
  @Test
  void opensIntoAGivenArrayFromASealedPrefix() {
    byte[] key = Aead.newKey();
    byte[] aad = Aead.aad("chunk", 1, 2);
    byte[] out = new byte[1024 * 1024];
    byte[] buf = new byte[Aead.HEADER + out.length + Aead.TAG];
    Random r = new Random(2);
    for (int size : SIZES) {
      if (size > out.length) {
        continue;
      }
      byte[] plain = new byte[size];
      r.nextBytes(plain);
      byte[] sealed = Aead.seal(key, aad, plain);
      Arrays.fill(buf, (byte) 7);
      System.arraycopy(sealed, 0, buf, 0, sealed.length);
      assertThat(Aead.open(key, aad, buf, sealed.length, out)).as("size %d", size).isEqualTo(size);
      assertThat(Arrays.copyOf(out, size)).as("size %d", size).isEqualTo(plain);
    }
    byte[] sealed = Aead.seal(key, aad, new byte[100]);
    sealed[Aead.HEADER + 50] ^= 1;
    assertThatThrownBy(() -> Aead.open(key, aad, sealed, sealed.length, out))
        .isInstanceOfSatisfying(
            GridException.class,
            e -> assertThat(e.reason()).isEqualTo(GridException.Reason.CORRUPT_BLOCK));
    byte[] tooSmall = new byte[10];
    byte[] good = Aead.seal(key, aad, new byte[100]);
    assertThatThrownBy(() -> Aead.open(key, aad, good, good.length, tooSmall))
        .isInstanceOfSatisfying(
            GridException.class,
            e -> assertThat(e.reason()).isEqualTo(GridException.Reason.CORRUPT_BLOCK));
  }

  @Test
  void warmUpIsIdempotent() {
    Aead.warmUp();
    Aead.warmUp();
    byte[] key = Aead.newKey();
    assertThat(Aead.open(key, new byte[1], Aead.seal(key, new byte[1], new byte[] {42})))
        .containsExactly(42);
  }
}
