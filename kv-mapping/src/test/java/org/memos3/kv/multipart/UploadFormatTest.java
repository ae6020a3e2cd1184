package org.memos3.kv.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.memos3.grid.crypto.Aead;
import org.memos3.grid.crypto.MasterKey;
import org.memos3.grid.memory.InMemoryGrid;
import org.memos3.kv.Codec;
import org.memos3.kv.KvConfig;
import org.memos3.kv.bucket.Buckets;
import org.memos3.kv.object.Conditions;
import org.memos3.kv.object.ObjectStore;
import org.memos3.kv.object.ObjectStoreTest;

/**
 * Upload records: round trip of format 3 (with the tag set), frozen format-2 and format-1 records
 * still read, and the tags given at creation reach the completed object.
 */
class UploadFormatTest {
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

  /** Format 2 (checksum algorithm and type, no tags): written until tags on uploads. */
  @Test
  void readsFormatTwo() {
    byte[] plain =
        new Codec.Writer()
            .u8(2)
            .str("id2")
            .str("k2")
            .str("bob")
            .i64(1_700_000_000_002L)
            .map(Map.of("cache-control", "no-cache"))
            .map(Map.of())
            .bytes(null)
            .str("CRC32")
            .str("FULL_OBJECT")
            .toBytes();
    Upload u = Upload.open(sealPlain(plain, "id2"), bucketKey, 7, "id2");
    assertThat(u.uploadId()).isEqualTo("id2");
    assertThat(u.owner()).isEqualTo("bob");
    assertThat(u.initiated()).isEqualTo(1_700_000_000_002L);
    assertThat(u.headers()).isEqualTo(Map.of("cache-control", "no-cache"));
    assertThat(u.completingWriteId()).isNull();
    assertThat(u.checksumAlgorithm()).isEqualTo("CRC32");
    assertThat(u.checksumType()).isEqualTo("FULL_OBJECT");
    assertThat(u.tags()).isEmpty();
    // Rewritten (as a completion marks it), it becomes format 3 and keeps everything.
    Upload again =
        Upload.open(u.withCompleting(new byte[] {5}).seal(bucketKey, 7), bucketKey, 7, "id2");
    assertThat(again.checksumType()).isEqualTo("FULL_OBJECT");
    assertThat(again.completingWriteId()).containsExactly(5);
    assertThat(again.tags()).isEmpty();
  }

  /** Format 1 (before checksums and tags): the layout of the first release. */
  @Test
  void readsFormatOne() {
    byte[] plain =
        new Codec.Writer()
            .u8(1)
            .str("id1")
            .str("k1")
            .str("carol")
            .i64(1_700_000_000_001L)
            .map(Map.of())
            .map(Map.of("a", "b"))
            .bytes(new byte[] {4})
            .toBytes();
    Upload u = Upload.open(sealPlain(plain, "id1"), bucketKey, 7, "id1");
    assertThat(u.key()).isEqualTo("k1");
    assertThat(u.userMetadata()).isEqualTo(Map.of("a", "b"));
    assertThat(u.completingWriteId()).containsExactly(4);
    assertThat(u.checksumAlgorithm()).isNull();
    assertThat(u.checksumType()).isNull();
    assertThat(u.tags()).isEmpty();
  }

  @Test
  void theCompletedObjectCarriesTheUploadsTags() throws Exception {
    Buckets buckets = new Buckets(grid, MasterKey.of(Aead.newKey()), Clock.systemUTC());
    ObjectStore objects =
        new ObjectStore(grid, buckets, io, Clock.systemUTC(), KvConfig.defaults());
    Uploads uploads = new Uploads(grid, buckets, objects, Clock.systemUTC());
    buckets.create("tag-bucket", "root");
    Map<String, String> tags = Map.of("team", "infra", "tier", "gold");
    Upload u = uploads.create("tag-bucket", "k", Map.of(), Map.of(), "root", null, null, tags);
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
}
