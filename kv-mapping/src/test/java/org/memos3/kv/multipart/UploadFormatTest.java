package org.memos3.kv.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.ObjectStoreTest;

/**
 * Upload records: round trip of format 3 (with the tag set); frozen samples of formats 3, 2 and 1
 * (bytes written once, so that a change of the encoder cannot change what stored records mean)
 * still read; and the tags given at creation reach the completed object.
 */
class UploadFormatTest {
  /**
   * Format 3, the current one (plain bytes as {@code seal} wrote them before sealing): upload id3,
   * key some/key, owner alice, initiated 1700000000003, content-type text/plain, metadata m=v,
   * completing write id 010203, SHA256 COMPOSITE, tags project=blue and empty="".
   */
  static final String FORMAT_3_SAMPLE =
      "030000000369643300000008736f6d652f6b657900000005616c6963650000018bcfe568"
          + "03000000010000000c636f6e74656e742d747970650000000a746578742f706c61696e00"
          + "000001000000016d0000000176000000030102030000000653484132353600000009434f"
          + "4d504f53495445000000020000000770726f6a65637400000004626c756500000005656d"
          + "70747900000000";

  /**
   * The same record as {@link #FORMAT_3_SAMPLE}, sealed under {@link #SAMPLE_KEY} for bucket id 7:
   * the bytes as the UPLOADS table holds them.
   */
  static final String SEALED_FORMAT_3_SAMPLE =
      "010104f9aebabe976055a6a5eaa4212215fd67ef383a4850410cd95dd3d888bc38d9348d"
          + "41a17e96ad0dd4edee9947523a84fe1093892ce6c69181baabd1da99e534d443906203d6"
          + "cd04b3db14437f199f07af2e667da3c7a9fd45a0ae54e1473a598cb8d30d7504f945b637"
          + "c8239f87fedf01d5a7a5c8cf2a57215edcb93e7621eef7f8e1e778671b779f1deeeb76fe"
          + "d5e65e0a8d21ac19c9e2fdd2eeaf65ec8972075b0cf3346c8d280e6245cae2ea1abde10b"
          + "fc";

  /** A fixed bucket key for {@link #SEALED_FORMAT_3_SAMPLE}: bytes 00 to 1f. */
  static final String SAMPLE_KEY =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

  /**
   * Format 2 (checksum algorithm and type, no tags), written until tags on uploads: upload id2, key
   * k2, owner bob, initiated 1700000000002, cache-control no-cache, no metadata, not completing,
   * CRC32 FULL_OBJECT.
   */
  static final String FORMAT_2_SAMPLE =
      "0200000003696432000000026b3200000003626f620000018bcfe5680200000001000000"
          + "0d63616368652d636f6e74726f6c000000086e6f2d636163686500000000ffffffff0000"
          + "000543524333320000000b46554c4c5f4f424a454354";

  /**
   * Format 1 (before checksums and tags), the layout of the first release: upload id1, key k1,
   * owner carol, initiated 1700000000001, no headers, metadata a=b, completing write id 04.
   */
  static final String FORMAT_1_SAMPLE =
      "0100000003696431000000026b31000000056361726f6c0000018bcfe568010000000000"
          + "000001000000016100000001620000000104";

  private final byte[] bucketKey = Aead.newKey();
  private final InMemoryGrid grid = new InMemoryGrid();
  private final ExecutorService io = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    io.shutdownNow();
  }

  private byte[] sealPlain(byte[] plain, String uploadId) {
    return Aead.seal(
        bucketKey, Aead.aad("upload", uploadId.getBytes(StandardCharsets.UTF_8), 7), plain);
  }

  @Test
  void roundTripWithTagsChecksumAndCompletingWriteId() {
    Upload u =
        new Upload(
            "id1",
            "some/key",
            "alice",
            1_700_000_000_000L,
            Map.of("content-type", "text/plain"),
            Map.of("m", "v"),
            new byte[] {1, 2, 3},
            "SHA256",
            "COMPOSITE",
            Map.of("project", "blue", "empty", ""));
    Upload back = Upload.open(u.seal(bucketKey, 7), bucketKey, 7, "id1");
    assertThat(back.key()).isEqualTo("some/key");
    assertThat(back.headers()).isEqualTo(Map.of("content-type", "text/plain"));
    assertThat(back.userMetadata()).isEqualTo(Map.of("m", "v"));
    assertThat(back.completingWriteId()).containsExactly(1, 2, 3);
    assertThat(back.checksumAlgorithm()).isEqualTo("SHA256");
    assertThat(back.checksumType()).isEqualTo("COMPOSITE");
    assertThat(back.tags()).isEqualTo(Map.of("project", "blue", "empty", ""));
    // Marking it completing keeps the tags.
    assertThat(back.withCompleting(new byte[] {9}).tags()).isEqualTo(back.tags());
  }

  private Upload openSample(String hex, String uploadId) {
    return Upload.open(sealPlain(HexFormat.of().parseHex(hex), uploadId), bucketKey, 7, uploadId);
  }

  @Test
  void readsFrozenFormatThree() {
    Upload expected =
        new Upload(
            "id3",
            "some/key",
            "alice",
            1_700_000_000_003L,
            Map.of("content-type", "text/plain"),
            Map.of("m", "v"),
            new byte[] {1, 2, 3},
            "SHA256",
            "COMPOSITE",
            Map.of("project", "blue", "empty", ""));
    assertThat(openSample(FORMAT_3_SAMPLE, "id3")).usingRecursiveComparison().isEqualTo(expected);
    Upload sealed =
        Upload.open(
            HexFormat.of().parseHex(SEALED_FORMAT_3_SAMPLE),
            HexFormat.of().parseHex(SAMPLE_KEY),
            7,
            "id3");
    assertThat(sealed).usingRecursiveComparison().isEqualTo(expected);
  }

  @Test
  void readsFrozenFormatTwo() {
    Upload u = openSample(FORMAT_2_SAMPLE, "id2");
    assertThat(u)
        .usingRecursiveComparison()
        .isEqualTo(
            new Upload(
                "id2",
                "k2",
                "bob",
                1_700_000_000_002L,
                Map.of("cache-control", "no-cache"),
                Map.of(),
                null,
                "CRC32",
                "FULL_OBJECT",
                Map.of()));
    // Rewritten (as a completion marks it), it becomes format 3 and keeps everything.
    Upload again =
        Upload.open(u.withCompleting(new byte[] {5}).seal(bucketKey, 7), bucketKey, 7, "id2");
    assertThat(again.checksumType()).isEqualTo("FULL_OBJECT");
    assertThat(again.completingWriteId()).containsExactly(5);
    assertThat(again.tags()).isEmpty();
  }

  @Test
  void readsFrozenFormatOne() {
    assertThat(openSample(FORMAT_1_SAMPLE, "id1"))
        .usingRecursiveComparison()
        .isEqualTo(
            new Upload(
                "id1",
                "k1",
                "carol",
                1_700_000_000_001L,
                Map.of(),
                Map.of("a", "b"),
                new byte[] {4},
                null,
                null,
                Map.of()));
  }

  @Test
  void theCompletedObjectCarriesTheUploadsTags() throws Exception {
    Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
    ObjectStore objects =
        new ObjectStore(grid, buckets, io, Clock.systemUTC(), KvConfig.defaults());
    Uploads uploads = new Uploads(grid, buckets, objects, Clock.systemUTC());
    buckets.create("tag-bucket", "root");
    Map<String, String> tags = Map.of("team", "infra", "tier", "gold");
    Upload u =
        uploads.create(
            "tag-bucket",
            "k",
            Map.of(),
            Map.of(),
            "root",
            null,
            null,
            tags,
            org.memos3.kv.object.ObjectLock.NONE,
            null);
    assertThat(uploads.require("tag-bucket", "k", u.uploadId()).tags()).isEqualTo(tags);
    Part p =
        uploads.uploadPart(
            "tag-bucket", "k", u.uploadId(), 1, ObjectStoreTest.data(new byte[1000]));
    var head =
        uploads.complete(
            "tag-bucket",
            "k",
            u.uploadId(),
            List.of(new Uploads.CompletedPart(1, p.etag())),
            Conditions.NONE);
    assertThat(head.tags()).isEqualTo(tags);
    assertThat(objects.find("tag-bucket", "k").orElseThrow().head().tags()).isEqualTo(tags);

    // An upload created without tags completes into an object without tags.
    Upload plain = uploads.create("tag-bucket", "k2", Map.of(), Map.of(), "root");
    Part q =
        uploads.uploadPart(
            "tag-bucket", "k2", plain.uploadId(), 1, ObjectStoreTest.data(new byte[10]));
    uploads.complete(
        "tag-bucket",
        "k2",
        plain.uploadId(),
        List.of(new Uploads.CompletedPart(1, q.etag())),
        Conditions.NONE);
    assertThat(objects.find("tag-bucket", "k2").orElseThrow().head().tags()).isEmpty();
  }

  /** An upload given an Object Lock state is format 4 and keeps it; one without stays format 3. */
  @Test
  void aLockStateIsFormat4() {
    var lock =
        new org.memos3.kv.object.ObjectLock(
            org.memos3.kv.bucket.RetentionMode.GOVERNANCE, 1_900_000_000_000L, true);
    Upload u =
        new Upload(
            "id4", "k", "alice", 1L, Map.of(), Map.of(), null, null, null, Map.of(), lock, null);
    Upload back = Upload.open(u.seal(bucketKey, 7), bucketKey, 7, "id4");
    assertThat(back.lock()).isEqualTo(lock);
    assertThat(back.withCompleting(new byte[] {1}).lock()).isEqualTo(lock);
    Upload plain =
        new Upload("id5", "k", "alice", 1L, Map.of(), Map.of(), null, null, null, Map.of());
    byte[] opened =
        Aead.open(
            bucketKey,
            Aead.aad("upload", "id5".getBytes(StandardCharsets.UTF_8), 7),
            plain.seal(bucketKey, 7));
    assertThat(opened[0]).isEqualTo((byte) 3);
  }
}
