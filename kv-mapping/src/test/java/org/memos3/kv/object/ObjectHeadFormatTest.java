package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.Codec;
import org.memos3.kv.manifest.ManifestRef;

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
            new ManifestRef.Stored(BlockAddress.of(BlockType.MANIFEST, new byte[] {1})),
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

  @Test
  void roundTripOfAnEmbeddedManifestAndOfADeleteMarker() {
    byte[] sealedManifest = {1, 2, 3, 4, 5};
    ObjectHead h =
        new ObjectHead(
            new byte[16], "v2", false, new ManifestRef.Embedded(sealedManifest), 5, "e", 99L);
    ObjectHead back = ObjectHead.open(h.seal(bucketKey, 7, key), bucketKey, 7, key);
    assertThat(back.manifest()).isEqualTo(new ManifestRef.Embedded(sealedManifest));
    assertThat(back.manifest().block()).isEmpty();
    ObjectHead marker = new ObjectHead(new byte[16], "v3", true, null, 0, null, 100L);
    ObjectHead m = ObjectHead.open(marker.seal(bucketKey, 7, key), bucketKey, 7, key);
    assertThat(m.deleteMarker()).isTrue();
    assertThat(m.manifest()).isNull();
  }

  /** Format 2 (tags, and the manifest as a bare address): written until embedded manifests. */
  @Test
  void readsFormatTwo() {
    BlockAddress m = BlockAddress.of(BlockType.MANIFEST, new byte[] {8});
    byte[] plain =
        new Codec.Writer()
            .u8(2)
            .bytes(new byte[16])
            .str("null")
            .bool(false)
            .bytes(m.bytes())
            .i64(6)
            .str("etag2")
            .i64(1700000000001L)
            .map(Map.of("t", "v"))
            .toBytes();
    byte[] sealed = Aead.seal(bucketKey, Aead.aad("head", key, 7), plain);
    ObjectHead h = ObjectHead.open(sealed, bucketKey, 7, key);
    assertThat(h.manifest()).isEqualTo(new ManifestRef.Stored(m));
    assertThat(h.size()).isEqualTo(6);
    assertThat(h.tags()).containsEntry("t", "v");
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
    assertThat(h.manifest()).isEqualTo(new ManifestRef.Stored(m));
    assertThat(h.size()).isEqualTo(5);
    assertThat(h.lastModified()).isEqualTo(1700000000000L);
    assertThat(h.tags()).isEmpty();
  }
}
