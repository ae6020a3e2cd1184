package org.memos3.kv.object;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.memos3.grid.block.BlockAddress;
import org.memos3.grid.block.BlockType;
import org.memos3.grid.crypto.Aead;
import org.memos3.kv.manifest.ManifestRef;

/**
 * Head records: round trip of the current format; frozen samples of formats 3, 2 and 1 (bytes
 * written once, so that a change of the encoder cannot change what stored records mean) still read.
 */
class ObjectHeadFormatTest {
  /**
   * Format 3, the current one (plain bytes as {@code seal} wrote them before sealing), with a
   * stored manifest: write id 000102..0f, version v1, manifest block {@code manifest(1)}, size 42,
   * ETag etag, modified 1234, tag a=b.
   */
  static final String FORMAT_3_STORED_SAMPLE =
      "0300000010000102030405060708090a0b0c0d0e0f000000027631000100000021024bf5"
          + "122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a000000000000"
          + "002a000000046574616700000000000004d20000000100000001610000000162";

  /** Format 3 with an embedded manifest (01..05): version v2, size 5, ETag e, modified 99. */
  static final String FORMAT_3_EMBEDDED_SAMPLE =
      "0300000010000102030405060708090a0b0c0d0e0f000000027632000200000005010203"
          + "040500000000000000050000000165000000000000006300000000";

  /** Format 3, a delete marker: version v3, no manifest, size 0, no ETag, modified 100. */
  static final String FORMAT_3_DELETE_MARKER_SAMPLE =
      "0300000010000102030405060708090a0b0c0d0e0f000000027633010000000000000000"
          + "00ffffffff000000000000006400000000";

  /**
   * {@link #FORMAT_3_STORED_SAMPLE} sealed under {@link #SAMPLE_KEY} for bucket id 7 and key
   * some/key: the bytes as the HEADS table holds them.
   */
  static final String SEALED_FORMAT_3_SAMPLE =
      "0101fe94f935a4b52df472f53ba215ed750a9685c01b79f0ba97915bd4b41f84ba1f407d"
          + "3e5f3418b27f1932d928fe55e9b67778434bd58f27ea65f6288d7f68daf22bd9833699cb"
          + "c0d343425050bf858be51d8d960161f25b4d868c4ce5aebd8361da6fc8ec16370a44957e"
          + "06d6f5612a2039cca5b76180cead0dccff4e52c4f5ac7311409a";

  /** A fixed bucket key for {@link #SEALED_FORMAT_3_SAMPLE}: bytes 00 to 1f. */
  static final String SAMPLE_KEY =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  /**
   * Format 2 (tags, and the manifest as a bare address), written until embedded manifests: write id
   * zeros, version null, manifest block {@code manifest(8)}, size 6, ETag etag2, modified
   * 1700000000001, tag t=v.
   */
  static final String FORMAT_2_SAMPLE =
      "020000001000000000000000000000000000000000000000046e756c6c000000002102be"
          + "ead77994cf573341ec17b58bbf7eb34d2711c993c1d976b128b3188dc1829a0000000000"
          + "0000060000000565746167320000018bcfe568010000000100000001740000000176";

  /**
   * Format 1 (before tags), the layout written by the first release: write id zeros, version null,
   * manifest block {@code manifest(9)}, size 5, ETag d41d8cd98f00b204e9800998ecf8427e, modified
   * 1700000000000.
   */
  static final String FORMAT_1_SAMPLE =
      "010000001000000000000000000000000000000000000000046e756c6c0000000021022b"
          + "4c342f5433ebe591a1da77e013d1b72475562d48578dca8b84bac6651c3cb90000000000"
          + "000005000000206434316438636439386630306232303465393830303939386563663834"
          + "3237650000018bcfe56800";

  private static final byte[] WRITE_ID =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  private final byte[] bucketKey = Aead.newKey();
  private final byte[] key = "some/key".getBytes(StandardCharsets.UTF_8);

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

  /** The stored block address of a manifest whose sealed bytes are {@code b}. */
  private static ManifestRef manifest(int b) {
    return new ManifestRef.Stored(BlockAddress.of(BlockType.MANIFEST, new byte[] {(byte) b}));
  }

  /** A sample's plain bytes, sealed for {@link #key} under this test's bucket key, then opened. */
  private ObjectHead openSample(String hex) {
    byte[] sealed = Aead.seal(bucketKey, Aead.aad("head", key, 7), HexFormat.of().parseHex(hex));
    return ObjectHead.open(sealed, bucketKey, 7, key);
  }

  @Test
  void readsFrozenFormatThree() {
    ObjectHead stored =
        new ObjectHead(WRITE_ID, "v1", false, manifest(1), 42, "etag", 1234L, Map.of("a", "b"));
    assertThat(openSample(FORMAT_3_STORED_SAMPLE)).usingRecursiveComparison().isEqualTo(stored);
    assertThat(
            ObjectHead.open(
                HexFormat.of().parseHex(SEALED_FORMAT_3_SAMPLE),
                HexFormat.of().parseHex(SAMPLE_KEY),
                7,
                key))
        .usingRecursiveComparison()
        .isEqualTo(stored);
    assertThat(openSample(FORMAT_3_EMBEDDED_SAMPLE))
        .usingRecursiveComparison()
        .isEqualTo(
            new ObjectHead(
                WRITE_ID,
                "v2",
                false,
                new ManifestRef.Embedded(new byte[] {1, 2, 3, 4, 5}),
                5,
                "e",
                99L));
    assertThat(openSample(FORMAT_3_DELETE_MARKER_SAMPLE))
        .usingRecursiveComparison()
        .isEqualTo(new ObjectHead(WRITE_ID, "v3", true, null, 0, null, 100L));
  }

  @Test
  void readsFrozenFormatTwo() {
    assertThat(openSample(FORMAT_2_SAMPLE))
        .usingRecursiveComparison()
        .isEqualTo(
            new ObjectHead(
                new byte[16],
                "null",
                false,
                manifest(8),
                6,
                "etag2",
                1700000000001L,
                Map.of("t", "v")));
  }

  @Test
  void readsFrozenFormatOne() {
    assertThat(openSample(FORMAT_1_SAMPLE))
        .usingRecursiveComparison()
        .isEqualTo(
            new ObjectHead(
                new byte[16],
                "null",
                false,
                manifest(9),
                5,
                "d41d8cd98f00b204e9800998ecf8427e",
                1700000000000L));
  }
}
