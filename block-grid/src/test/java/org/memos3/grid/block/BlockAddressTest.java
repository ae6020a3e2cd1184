package org.memos3.grid.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;

/** Both address forms: what they accept, what damage they catch, and that they parse back. */
class BlockAddressTest {
  private static final byte[] KEY = Aead.newKey();

  private static byte[] sealedChunk(int plainLength) {
    byte[] plain = new byte[plainLength];
    new Random(plainLength).nextBytes(plain);
    return Aead.seal(KEY, Aead.aad("chunk", plainLength), plain);
  }

  @Test
  void aChunkAddressChecksEveryByteOfItsBlock() {
    byte[] stored = sealedChunk(1024 * 1024 + 7);
    BlockAddress a = BlockAddress.of(BlockType.CHUNK, stored);
    assertThat(a.type()).isEqualTo(BlockType.CHUNK);
    assertThat(a.matches(stored)).isTrue();
    assertThat(BlockAddress.of(BlockType.CHUNK, stored.clone())).isEqualTo(a);
    // The header, the nonce, the body (start, middle, end), the tag: any flipped bit is caught.
    for (int at : new int[] {0, 1, 2, 13, 14, 15, stored.length / 2, stored.length - 17}) {
      for (int bit = 0; bit < 8; bit += 3) {
        byte[] damaged = stored.clone();
        damaged[at] ^= (byte) (1 << bit);
        assertThat(a.matches(damaged)).as("byte %d bit %d", at, bit).isFalse();
      }
    }
    for (int at = stored.length - Aead.TAG; at < stored.length; at++) {
      byte[] damaged = stored.clone();
      damaged[at] ^= 1;
      assertThat(a.matches(damaged)).isFalse();
    }
    byte[] zeroedRun = stored.clone();
    Arrays.fill(zeroedRun, 4096, 4096 + 512, (byte) 0);
    assertThat(a.matches(zeroedRun)).isFalse();
    assertThat(a.matches(Arrays.copyOf(stored, stored.length - 1))).isFalse();
    assertThat(a.matches(Arrays.copyOf(stored, stored.length + 1))).isFalse();
  }

  /** The summary form is on disk: this known answer keeps it from drifting. */
  @Test
  void aChunkAddressIsStable() {
    byte[] stored = new byte[100];
    for (int i = 0; i < stored.length; i++) {
      stored[i] = (byte) i;
    }
    assertThat(BlockAddress.of(BlockType.CHUNK, stored).toHex())
        .isEqualTo("419a249895d95433921b6e23b7ec2b87184538ca5be20560e73efc4fa1cc2d2069");
  }

  @Test
  void twoSealsOfOneChunkHaveTwoAddresses() {
    byte[] plain = new byte[4096];
    byte[] aad = Aead.aad("chunk", 1);
    assertThat(BlockAddress.of(BlockType.CHUNK, Aead.seal(KEY, aad, plain)))
        .isNotEqualTo(BlockAddress.of(BlockType.CHUNK, Aead.seal(KEY, aad, plain)));
  }

  @Test
  void shortBlocksHaveChunkAddressesToo() {
    for (int n : new int[] {0, 1, 13, 14, 29, 30, 31, 64}) {
      byte[] stored = new byte[n];
      new Random(n).nextBytes(stored);
      BlockAddress a = BlockAddress.of(BlockType.CHUNK, stored);
      assertThat(a.matches(stored)).isTrue();
      if (n > 0) {
        byte[] damaged = stored.clone();
        damaged[n / 2] ^= 0x10;
        assertThat(a.matches(damaged)).as("length %d", n).isFalse();
      }
    }
  }

  @Test
  void manifestAndIndexAddressesAreTheSha256OfTheBytes() throws Exception {
    byte[] stored = sealedChunk(300);
    for (BlockType t : new BlockType[] {BlockType.MANIFEST, BlockType.INDEX}) {
      BlockAddress a = BlockAddress.of(t, stored);
      byte[] raw = a.bytes();
      assertThat(raw[0]).isEqualTo(t.code());
      assertThat(Arrays.copyOfRange(raw, 1, BlockAddress.LENGTH))
          .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(stored));
      assertThat(a.type()).isEqualTo(t);
      assertThat(a.matches(stored)).isTrue();
    }
  }

  @Test
  void chunkAddressesOfEarlierVersionsKeepTheirFullCheck() throws Exception {
    byte[] stored = sealedChunk(5000);
    byte[] raw = new byte[BlockAddress.LENGTH];
    raw[0] = BlockType.CHUNK.code();
    System.arraycopy(
        java.security.MessageDigest.getInstance("SHA-256").digest(stored), 0, raw, 1, 32);
    BlockAddress legacy = BlockAddress.fromBytes(raw);
    assertThat(legacy.type()).isEqualTo(BlockType.CHUNK);
    assertThat(legacy.matches(stored)).isTrue();
    assertThat(legacy).isNotEqualTo(BlockAddress.of(BlockType.CHUNK, stored));
    byte[] damaged = stored.clone();
    damaged[2500] ^= 1;
    assertThat(legacy.matches(damaged)).isFalse();
  }

  @Test
  void parsesWhatItPrints() {
    for (BlockType t : BlockType.values()) {
      BlockAddress a = BlockAddress.of(t, sealedChunk(100));
      assertThat(BlockAddress.fromHex(a.toHex())).isEqualTo(a);
      assertThat(BlockAddress.fromBytes(a.bytes())).isEqualTo(a);
      assertThat(BlockAddress.fromHex(a.toHex()).type()).isEqualTo(t);
    }
  }

  @Test
  void rejectsUnknownTypeBytes() {
    for (int code : new int[] {0, 4, 0x7f, BlockAddress.SEALED | 2, BlockAddress.SEALED | 3}) {
      byte[] raw = new byte[BlockAddress.LENGTH];
      raw[0] = (byte) code;
      assertThatThrownBy(() -> BlockAddress.fromBytes(raw))
          .as(HexFormat.of().toHexDigits((byte) code))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> BlockAddress.fromBytes(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
