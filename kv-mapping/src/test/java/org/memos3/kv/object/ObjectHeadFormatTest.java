package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;

/** Head records: round trip of the current format, and a frozen format-1 record still reads. */
class ObjectHeadFormatTest {
  private final byte[] bucketKey = Aead.newKey();
  private final byte[] key = "some/key".getBytes();

  @Test
  void roundTripWithTags() {
    ObjectHead h =
        new ObjectHead(
            new byte[16],
            "v1",
            false,
            BlockAddress.of(BlockType.MANIFEST, new byte[] {1}),
            42,
            "etag",
            1234L,
            Map.of("a", "b"));
    ObjectHead back = ObjectHead.open(h.seal(bucketKey, 7, key), bucketKey, 7, key);
    assertThat(back.versionId()).isEqualTo("v1");
    assertThat(back.size()).isEqualTo(42);
    assertThat(back.tags()).containsEntry("a", "b");
    assertThat(back.manifest()).isEqualTo(h.manifest());
  }

  /** Format 1 (before tags): the layout written by the first release. */
  @Test
  void readsFormatOne() {
    BlockAddress m = BlockAddress.of(BlockType.MANIFEST, new byte[] {9});
    byte[] plain =
        new Codec.Writer()
            .u8(1)
            .bytes(new byte[16])
            .str("null")
            .bool(false)
            .bytes(m.bytes())
            .i64(5)
            .str("d41d8cd98f00b204e9800998ecf8427e")
            .i64(1700000000000L)
            .toBytes();
    byte[] sealed = Aead.seal(bucketKey, Aead.aad("head", key, 7), plain);
    ObjectHead h = ObjectHead.open(sealed, bucketKey, 7, key);
    assertThat(h.versionId()).isEqualTo("null");
    assertThat(h.manifest()).isEqualTo(m);
    assertThat(h.size()).isEqualTo(5);
    assertThat(h.lastModified()).isEqualTo(1700000000000L);
    assertThat(h.tags()).isEmpty();
  }
}
