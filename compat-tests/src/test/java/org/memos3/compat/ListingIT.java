package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Listing through the SDK: v1 markers, v2 tokens and start-after, delimiters, encoding-type=url,
 * fetch-owner, and keys with spaces, '+', '%', unicode and 1,024 bytes, in UTF-8 byte order
 * (s3-tests: test_bucket_list_delimiter_*, test_bucket_listv2_*, test_bucket_list_unordered).
 */
class ListingIT {
  static TestServer server;
  static String bucket;
  static final String LONG = "L".repeat(1024);
  static final List<String> KEYS =
      List.of(
          "a b",
          "a+b",
          "a%b",
          "a/1",
          "a/2",
          "a/b/c",
          "b",
          "c/\u00e9",
          "d\ud83d\ude00",
          "\ue000x",
          LONG);

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    bucket = bucketName("listing");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
      for (String k : KEYS) {
        s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(k));
      }
    }
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  /** S3's order: unsigned UTF-8 bytes (U+E000 sorts before the emoji, unlike UTF-16). */
  static List<String> byteOrder() {
    List<String> sorted = new ArrayList<>(KEYS);
    sorted.sort(
        (x, y) ->
            java.util.Arrays.compareUnsigned(
                x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return sorted;
  }

  @Test
  void v2PagesThroughEverythingInByteOrder() {
    try (S3Client s3 = server.client(true)) {
      List<String> seen = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        String t = token;
        ListObjectsV2Response r =
            s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(3).continuationToken(t));
        r.contents().forEach(o -> seen.add(o.key()));
        assertThat(r.keyCount()).isEqualTo(r.contents().size());
        token = r.nextContinuationToken();
        pages++;
      } while (token != null);
      assertThat(seen).isEqualTo(byteOrder());
      assertThat(pages).isEqualTo(4);
      ListObjectsV2Response after = s3.listObjectsV2(b -> b.bucket(bucket).startAfter("a/2"));
      assertThat(after.contents().get(0).key()).isEqualTo("a/b/c");
      ListObjectsV2Response owner =
          s3.listObjectsV2(b -> b.bucket(bucket).fetchOwner(true).maxKeys(1));
      assertThat(owner.contents().get(0).owner()).isNotNull();
    }
  }

  @Test
  void delimiterRollsUpAndPagesOverPrefixes() {
    try (S3Client s3 = server.client(true)) {
      ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
      assertThat(r.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "c/");
      assertThat(r.contents()).extracting(S3Object::key).doesNotContain("a/1", "c/\u00e9");
      ListObjectsV2Response sub =
          s3.listObjectsV2(b -> b.bucket(bucket).prefix("a/").delimiter("/"));
      assertThat(sub.contents()).extracting(S3Object::key).containsExactly("a/1", "a/2");
      assertThat(sub.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/b/");
      // One item per page across prefixes: every key or prefix exactly once.
      List<String> seen = new ArrayList<>();
      String token = null;
      do {
        String t = token;
        ListObjectsV2Response p =
            s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/").maxKeys(1).continuationToken(t));
        p.contents().forEach(o -> seen.add(o.key()));
        p.commonPrefixes().forEach(c -> seen.add(c.prefix()));
        token = p.nextContinuationToken();
      } while (token != null);
      assertThat(seen).doesNotHaveDuplicates().contains("a/", "c/", "b", LONG);
      assertThat(seen).hasSize(r.contents().size() + r.commonPrefixes().size());
    }
  }

  @Test
  void v1MarkersAndUrlEncoding() {
    try (S3Client s3 = server.client(true)) {
      ListObjectsResponse first = s3.listObjects(b -> b.bucket(bucket).maxKeys(2));
      assertThat(first.isTruncated()).isTrue();
      String marker = first.contents().get(1).key();
      ListObjectsResponse next = s3.listObjects(b -> b.bucket(bucket).marker(marker).maxKeys(100));
      assertThat(next.contents().get(0).key()).isEqualTo(byteOrder().get(2));
      ListObjectsResponse delim = s3.listObjects(b -> b.bucket(bucket).delimiter("/").maxKeys(1));
      assertThat(delim.nextMarker()).isNotNull();
      // encoding-type=url: the SDK decodes the keys back.
      ListObjectsV2Response enc =
          s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL));
      assertThat(enc.contents()).extracting(S3Object::key).isEqualTo(byteOrder());
    }
  }

  /**
   * max-keys=0 is an empty listing that is not truncated, with nothing to continue from; likewise
   * max-keys=0 on ListObjectVersions, max-uploads=0 and max-parts=0 (s3-tests:
   * test_bucket_list_maxkeys_zero, test_bucket_listv2_maxkeys_zero).
   */
  @Test
  void maxKeysZeroIsAnEmptyListingNotTruncated() {
    try (S3Client s3 = server.client(true)) {
      ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(bucket).maxKeys(0));
      assertThat(v1.contents()).isEmpty();
      assertThat(v1.isTruncated()).isFalse();
      assertThat(v1.nextMarker()).isNull();
      ListObjectsResponse v1d = s3.listObjects(b -> b.bucket(bucket).delimiter("/").maxKeys(0));
      assertThat(v1d.commonPrefixes()).isEmpty();
      assertThat(v1d.isTruncated()).isFalse();
      assertThat(v1d.nextMarker()).isNull();
      ListObjectsV2Response v2 = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(0));
      assertThat(v2.contents()).isEmpty();
      assertThat(v2.keyCount()).isZero();
      assertThat(v2.isTruncated()).isFalse();
      assertThat(v2.nextContinuationToken()).isNull();
      var versions = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(0));
      assertThat(versions.versions()).isEmpty();
      assertThat(versions.isTruncated()).isFalse();
      assertThat(versions.nextKeyMarker()).isNull();

      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mpu")).uploadId();
      s3.uploadPart(
          b -> b.bucket(bucket).key("mpu").uploadId(id).partNumber(1), RequestBody.fromString("x"));
      var uploads = s3.listMultipartUploads(b -> b.bucket(bucket).maxUploads(0));
      assertThat(uploads.uploads()).isEmpty();
      assertThat(uploads.isTruncated()).isFalse();
      assertThat(uploads.nextKeyMarker()).isNull();
      var parts = s3.listParts(b -> b.bucket(bucket).key("mpu").uploadId(id).maxParts(0));
      assertThat(parts.parts()).isEmpty();
      assertThat(parts.isTruncated()).isFalse();
      s3.abortMultipartUpload(b -> b.bucket(bucket).key("mpu").uploadId(id));
    }
  }

  /**
   * An empty continuation token is echoed and lists from the start (s3-tests:
   * test_bucket_listv2_continuationtoken_empty).
   */
  @Test
  void anEmptyContinuationTokenListsFromTheStart() {
    try (S3Client s3 = server.client(true)) {
      ListObjectsV2Response empty = s3.listObjectsV2(b -> b.bucket(bucket).continuationToken(""));
      assertThat(empty.continuationToken()).isEmpty();
      assertThat(empty.contents()).extracting(S3Object::key).containsExactlyElementsOf(byteOrder());
    }
  }

  /** ListBuckets pages by max-buckets and continuation-token, and filters by prefix. */
  @Test
  void listBucketsPagesAndFilters() {
    try (S3Client s3 = server.client(true)) {
      String stem = bucketName("lbp");
      for (int i = 0; i < 5; i++) {
        String name = stem + "-" + i;
        s3.createBucket(b -> b.bucket(name));
      }
      List<String> seen = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        String t = token;
        var page = s3.listBuckets(b -> b.maxBuckets(2).prefix(stem).continuationToken(t));
        assertThat(page.prefix()).isEqualTo(stem);
        assertThat(page.buckets()).hasSizeLessThanOrEqualTo(2);
        page.buckets().forEach(b -> seen.add(b.name()));
        token = page.continuationToken();
        pages++;
      } while (token != null);
      assertThat(pages).isEqualTo(3);
      assertThat(seen)
          .containsExactly(stem + "-0", stem + "-1", stem + "-2", stem + "-3", stem + "-4");
      // The paginator sees the same; without max-buckets one page of all of them.
      assertThat(s3.listBucketsPaginator(b -> b.maxBuckets(3).prefix(stem)).buckets())
          .extracting(software.amazon.awssdk.services.s3.model.Bucket::name)
          .containsExactlyElementsOf(seen);
      var all = s3.listBuckets(b -> b.prefix(stem));
      assertThat(all.continuationToken()).isNull();
      assertThat(all.buckets()).hasSize(5);
      assertThat(all.buckets()).allMatch(b -> "us-east-1".equals(b.bucketRegion()));
      assertThat(s3.listBuckets(b -> b.prefix(stem).bucketRegion("eu-west-1")).buckets()).isEmpty();
      assertThat(s3.listBuckets(b -> b.prefix(stem).bucketRegion("us-east-1")).buckets())
          .hasSize(5);
      MultipartIT.assertS3Error(() -> s3.listBuckets(b -> b.maxBuckets(0)), 400, "InvalidArgument");
      MultipartIT.assertS3Error(
          () -> s3.listBuckets(b -> b.maxBuckets(10_001)), 400, "InvalidArgument");
    }
  }
}
