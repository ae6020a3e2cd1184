package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.MIB;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;
import static org.memos3.compat.ObjectRoundTripIT.md5;
import static org.memos3.compat.ObjectRoundTripIT.random;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * CopyObject, UploadPartCopy and GetObject/HeadObject by part number, through the AWS SDK v2
 * against a real node. Mirrors s3-tests' test_object_copy_*, test_copy_object_if*,
 * test_multipart_copy_* and test_(non_)multipart_get_part.
 */
class CopyObjectIT {
  /** A key that needs percent-encoding in {@code x-amz-copy-source}. */
  static final String ODD_KEY = "dir/a key+with ü?&=%";

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  static String quoted(String s) {
    return "\"" + s + "\"";
  }

  /** Puts a three-part multipart object; returns its bytes. */
  static byte[] putMultipart(S3Client s3, String bucket, String key, int... sizes)
      throws Exception {
    String id =
        s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("text/x-mpu"))
            .uploadId();
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    List<CompletedPart> done = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      int n = i + 1;
      byte[] data = random(sizes[i], 100 + n);
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key(key).uploadId(id).partNumber(n),
                  RequestBody.fromBytes(data))
              .eTag();
      done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      whole.write(data);
    }
    s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(done)));
    return whole.toByteArray();
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void copyStreamsBytesAndKeepsSourceMetadataByDefault(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String src = bucketName("copy-src");
      String dst = bucketName("copy-dst");
      s3.createBucket(b -> b.bucket(src));
      s3.createBucket(b -> b.bucket(dst));
      // Empty, inline, and several chunks (1 MiB each).
      for (int size : new int[] {0, 100, 3 * MIB + 5}) {
        byte[] data = random(size, size);
        String key = ODD_KEY + size;
        s3.putObject(
            b ->
                b.bucket(src)
                    .key(key)
                    .contentType("text/x-source")
                    .cacheControl("no-cache")
                    .metadata(Map.of("color", "blue")),
            RequestBody.fromBytes(data));
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Without a directive S3 copies the source's metadata and ignores the request's.
        CopyObjectResponse copied =
            s3.copyObject(
                b ->
                    b.sourceBucket(src)
                        .sourceKey(key)
                        .destinationBucket(dst)
                        .destinationKey("copy/" + size)
                        .contentType("text/ignored")
                        .metadata(Map.of("ignored", "yes")));
        assertThat(copied.copyObjectResult().eTag()).isEqualTo(quoted(md5(data)));
        assertThat(copied.copyObjectResult().lastModified()).isAfterOrEqualTo(before);
        ResponseBytes<GetObjectResponse> got =
            s3.getObjectAsBytes(b -> b.bucket(dst).key("copy/" + size));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().eTag()).isEqualTo(quoted(md5(data)));
        assertThat(got.response().contentType()).isEqualTo("text/x-source");
        assertThat(got.response().cacheControl()).isEqualTo("no-cache");
        assertThat(got.response().metadata()).containsExactly(Map.entry("color", "blue"));
        // The source is untouched.
        assertThat(s3.getObjectAsBytes(b -> b.bucket(src).key(key)).asByteArray()).isEqualTo(data);
      }
    }
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void replaceTakesMetadataFromTheRequestAndAllowsCopyOntoItself(boolean defaultChecksums)
      throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("copy-replace");
      s3.createBucket(b -> b.bucket(bucket));
      byte[] data = random(5000, 7);
      s3.putObject(
          b -> b.bucket(bucket).key("k").contentType("text/old").metadata(Map.of("a", "1")),
          RequestBody.fromBytes(data));
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("k")
                  .destinationBucket(bucket)
                  .destinationKey("k2")
                  .metadataDirective(MetadataDirective.REPLACE)
                  .contentType("text/new")
                  .metadata(Map.of("b", "2")));
      HeadObjectResponse k2 = s3.headObject(b -> b.bucket(bucket).key("k2"));
      assertThat(k2.contentType()).isEqualTo("text/new");
      assertThat(k2.metadata()).containsExactly(Map.entry("b", "2"));
      assertThat(k2.eTag()).isEqualTo(quoted(md5(data)));

      // test_object_copy_to_itself: illegal without REPLACE.
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("k")),
          400,
          "InvalidRequest");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("k")
                          .metadataDirective(MetadataDirective.COPY)),
          400,
          "InvalidRequest");
      // test_object_copy_to_itself_with_metadata: fine with REPLACE.
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("k")
                  .destinationBucket(bucket)
                  .destinationKey("k")
                  .metadataDirective(MetadataDirective.REPLACE)
                  .metadata(Map.of("c", "3")));
      ResponseBytes<GetObjectResponse> k = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k"));
      assertThat(k.asByteArray()).isEqualTo(data);
      assertThat(k.response().metadata()).containsExactly(Map.entry("c", "3"));
      assertThat(k.response().contentType()).isEqualTo("binary/octet-stream");

      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("k3")
                          .metadataDirective("MOVE")),
          400,
          "InvalidArgument");
    }
  }

  @Test
  void copySourceConditionalsFollowS3Precedence() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("copy-cond");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromString("conditional"));
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("src"));
      String etag = head.eTag();
      Instant past = head.lastModified().minus(1, ChronoUnit.DAYS);
      Instant future = head.lastModified().plus(1, ChronoUnit.DAYS);
      record Case(
          String name,
          String ifMatch,
          String ifNoneMatch,
          Instant ifUnmodifiedSince,
          Instant ifModifiedSince,
          boolean copies) {}
      List<Case> cases =
          List.of(
              new Case("if-match good", etag, null, null, null, true),
              new Case(
                  "if-match bad", "\"00000000000000000000000000000000\"", null, null, null, false),
              new Case("if-none-match good", null, "\"0000\"", null, null, true),
              new Case("if-none-match bad", null, etag, null, null, false),
              new Case("if-unmodified-since good", null, null, future, null, true),
              new Case("if-unmodified-since bad", null, null, past, null, false),
              new Case("if-modified-since good", null, null, null, past, true),
              new Case("if-modified-since bad", null, null, null, future, false),
              // A matching if-match wins over a failing if-unmodified-since...
              new Case("if-match + if-unmodified-since", etag, null, past, null, true),
              // ...and a failing if-none-match fails whatever if-modified-since says.
              new Case("if-none-match + if-modified-since", null, etag, null, past, false));
      for (Case c : cases) {
        Runnable copy =
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket(bucket)
                            .sourceKey("src")
                            .destinationBucket(bucket)
                            .destinationKey("dst")
                            .copySourceIfMatch(c.ifMatch())
                            .copySourceIfNoneMatch(c.ifNoneMatch())
                            .copySourceIfUnmodifiedSince(c.ifUnmodifiedSince())
                            .copySourceIfModifiedSince(c.ifModifiedSince()));
        s3.deleteObject(b -> b.bucket(bucket).key("dst"));
        if (c.copies()) {
          copy.run();
          assertThat(s3.headObject(b -> b.bucket(bucket).key("dst")).eTag())
              .as(c.name())
              .isEqualTo(etag);
        } else {
          assertS3Error(copy, 412, "PreconditionFailed");
          assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("dst")), 404, null);
        }
      }
    }
  }

  @Test
  @SuppressWarnings("deprecation") // copySource(String): the raw header, to test its forms
  void missingSourcesAndMalformedCopySourcesAreS3Errors() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("copy-errors");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key(ODD_KEY), RequestBody.fromString("x"));
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("absent")
                          .destinationBucket(bucket)
                          .destinationKey("d")),
          404,
          "NoSuchKey");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucketName("absent"))
                          .sourceKey(ODD_KEY)
                          .destinationBucket(bucket)
                          .destinationKey("d")),
          404,
          "NoSuchBucket");
      // The destination bucket must exist too.
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey(ODD_KEY)
                          .destinationBucket(bucketName("absent"))
                          .destinationKey("d")),
          404,
          "NoSuchBucket");
      // Unversioned: "null" is the one version there is.
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey(ODD_KEY)
                  .sourceVersionId("null")
                  .destinationBucket(bucket)
                  .destinationKey("v"));
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey(ODD_KEY)
                          .sourceVersionId("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")
                          .destinationBucket(bucket)
                          .destinationKey("v")),
          400,
          "InvalidArgument");
      // With a leading slash, as older clients send it.
      String encoded = URLEncoder.encode(ODD_KEY, StandardCharsets.UTF_8).replace("+", "%20");
      s3.copyObject(b -> b.copySource("/" + bucket + "/" + encoded).bucket(bucket).key("slash"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("slash")).asUtf8String())
          .isEqualTo("x");
      assertS3Error(
          () -> s3.copyObject(b -> b.copySource(bucket).bucket(bucket).key("d")),
          400,
          "InvalidArgument");
    }
  }

  @Test
  void copiesNamedVersionsOfAVersionedSource() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("copy-versions");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      String v1 =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one")).versionId();
      String v2 =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("two")).versionId();
      CopyObjectResponse old =
          s3.copyObject(
              b ->
                  b.sourceBucket(bucket)
                      .sourceKey("k")
                      .sourceVersionId(v1)
                      .destinationBucket(bucket)
                      .destinationKey("restored"));
      assertThat(old.copySourceVersionId()).isEqualTo(v1);
      assertThat(old.versionId()).isNotNull().isNotIn(v1, v2);
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("restored")).asUtf8String())
          .isEqualTo("one");
      // Copying an older version onto its own key restores it.
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("k")
                  .sourceVersionId(v1)
                  .destinationBucket(bucket)
                  .destinationKey("k"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("one");
      String marker = s3.deleteObject(b -> b.bucket(bucket).key("k")).versionId();
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("d")),
          404,
          "NoSuchKey");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .sourceVersionId(marker)
                          .destinationBucket(bucket)
                          .destinationKey("d")),
          400,
          "InvalidRequest");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .sourceVersionId("0000000000000000000000000000abcd")
                          .destinationBucket(bucket)
                          .destinationKey("d")),
          404,
          "NoSuchVersion");
      assertThat(
              s3.copyObject(
                      b ->
                          b.sourceBucket(bucket)
                              .sourceKey("k")
                              .sourceVersionId(v2)
                              .destinationBucket(bucket)
                              .destinationKey("d"))
                  .copyObjectResult()
                  .eTag())
          .isEqualTo(quoted(md5("two".getBytes(StandardCharsets.UTF_8))));
    }
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void copyOfAMultipartObjectHasThePlainMd5AsETag(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("copy-mpu");
      s3.createBucket(b -> b.bucket(bucket));
      byte[] whole = putMultipart(s3, bucket, "mpu", 5 * MIB, 1000);
      assertThat(s3.headObject(b -> b.bucket(bucket).key("mpu")).eTag()).endsWith("-2\"");
      CopyObjectResponse copied =
          s3.copyObject(
              b ->
                  b.sourceBucket(bucket)
                      .sourceKey("mpu")
                      .destinationBucket(bucket)
                      .destinationKey("flat"));
      assertThat(copied.copyObjectResult().eTag()).isEqualTo(quoted(md5(whole)));
      ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("flat"));
      assertThat(md5(got.asByteArray())).isEqualTo(md5(whole));
      assertThat(got.response().contentType()).isEqualTo("text/x-mpu");
    }
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void uploadPartCopyBuildsAnObjectFromRangesOfOthers(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("part-copy");
      s3.createBucket(b -> b.bucket(bucket));
      byte[] big = random(6 * MIB + 100, 11);
      byte[] mid = random(5 * MIB + 7, 12);
      byte[] tail = random(300, 13);
      s3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(big));
      s3.putObject(b -> b.bucket(bucket).key(ODD_KEY), RequestBody.fromBytes(mid));
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("assembled")).uploadId();
      int from = 1000;
      int to = from + 5 * MIB; // inclusive
      UploadPartCopyResponse p1 =
          s3.uploadPartCopy(
              b ->
                  b.sourceBucket(bucket)
                      .sourceKey("big")
                      .copySourceRange("bytes=" + from + "-" + to)
                      .destinationBucket(bucket)
                      .destinationKey("assembled")
                      .uploadId(id)
                      .partNumber(1));
      byte[] part1 = Arrays.copyOfRange(big, from, to + 1);
      assertThat(p1.copyPartResult().eTag()).isEqualTo(quoted(md5(part1)));
      assertThat(p1.copyPartResult().lastModified()).isNotNull();
      // No range: the whole source; a key that needs encoding.
      UploadPartCopyResponse p2 =
          s3.uploadPartCopy(
              b ->
                  b.sourceBucket(bucket)
                      .sourceKey(ODD_KEY)
                      .destinationBucket(bucket)
                      .destinationKey("assembled")
                      .uploadId(id)
                      .partNumber(2));
      assertThat(p2.copyPartResult().eTag()).isEqualTo(quoted(md5(mid)));
      String e3 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("assembled").uploadId(id).partNumber(3),
                  RequestBody.fromBytes(tail))
              .eTag();

      // test_multipart_copy_invalid_range and friends.
      for (String bad : new String[] {"bytes=0-", "0-10", "bytes=a-b", "bytes=0-1,3-4"}) {
        assertS3Error(() -> partCopy(s3, bucket, id, "big", bad), 400, "InvalidArgument");
      }
      assertS3Error(
          () -> partCopy(s3, bucket, id, "big", "bytes=0-" + big.length), 416, "InvalidRange");
      assertS3Error(() -> partCopy(s3, bucket, id, "big", "bytes=10-5"), 416, "InvalidRange");
      assertS3Error(() -> partCopy(s3, bucket, id, "absent", null), 404, "NoSuchKey");
      assertS3Error(() -> partCopy(s3, bucket, "no-such-upload", "big", null), 404, "NoSuchUpload");
      String bigEtag = quoted(md5(big));
      assertS3Error(
          () ->
              s3.uploadPartCopy(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("big")
                          .copySourceIfNoneMatch(bigEtag)
                          .destinationBucket(bucket)
                          .destinationKey("assembled")
                          .uploadId(id)
                          .partNumber(4)),
          412,
          "PreconditionFailed");

      List<CompletedPart> parts =
          List.of(
              CompletedPart.builder().partNumber(1).eTag(p1.copyPartResult().eTag()).build(),
              CompletedPart.builder().partNumber(2).eTag(p2.copyPartResult().eTag()).build(),
              CompletedPart.builder().partNumber(3).eTag(e3).build());
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key("assembled").uploadId(id).multipartUpload(m -> m.parts(parts)));
      ByteArrayOutputStream want = new ByteArrayOutputStream();
      want.write(part1);
      want.write(mid);
      want.write(tail);
      byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("assembled")).asByteArray();
      assertThat(md5(got)).isEqualTo(md5(want.toByteArray()));
    }
  }

  private static void partCopy(S3Client s3, String bucket, String id, String key, String range) {
    s3.uploadPartCopy(
        b ->
            b.sourceBucket(bucket)
                .sourceKey(key)
                .copySourceRange(range)
                .destinationBucket(bucket)
                .destinationKey("assembled")
                .uploadId(id)
                .partNumber(9));
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void getAndHeadByPartNumber(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("get-part");
      s3.createBucket(b -> b.bucket(bucket));
      int[] sizes = {5 * MIB, 5 * MIB + 3, 1000};
      byte[] whole = putMultipart(s3, bucket, "mpu", sizes);
      String etag = s3.headObject(b -> b.bucket(bucket).key("mpu")).eTag();
      int offset = 0;
      for (int i = 0; i < sizes.length; i++) {
        int n = i + 1;
        int start = offset;
        int end = offset + sizes[i] - 1;
        ResponseBytes<GetObjectResponse> got =
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("mpu").partNumber(n));
        assertThat(got.response().sdkHttpResponse().statusCode()).isEqualTo(206);
        assertThat(md5(got.asByteArray()))
            .isEqualTo(md5(Arrays.copyOfRange(whole, start, end + 1)));
        assertThat(got.response().contentRange())
            .isEqualTo("bytes " + start + "-" + end + "/" + whole.length);
        assertThat(got.response().partsCount()).isEqualTo(3);
        assertThat(got.response().eTag()).isEqualTo(etag);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("mpu").partNumber(n));
        assertThat(head.contentLength()).isEqualTo(sizes[i]);
        assertThat(head.partsCount()).isEqualTo(3);
        offset += sizes[i];
      }
      // Without partNumber S3 does not say how many parts there are.
      HeadObjectResponse plain = s3.headObject(b -> b.bucket(bucket).key("mpu"));
      assertThat(plain.partsCount()).isNull();
      assertThat(plain.contentLength()).isEqualTo(whole.length);
      assertS3Error(
          () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mpu").partNumber(4)),
          416,
          "InvalidPartNumber");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("mpu").partNumber(4)), 416, null);
      assertS3Error(
          () ->
              s3.getObjectAsBytes(
                  b -> b.bucket(bucket).key("mpu").partNumber(1).range("bytes=0-9")),
          400,
          "InvalidRequest");
      assertS3Error(
          () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mpu").partNumber(10001)),
          400,
          "InvalidArgument");

      // test_non_multipart_get_part: part 1 is the whole object, as a range of all of it.
      byte[] single = random(4321, 21);
      s3.putObject(b -> b.bucket(bucket).key("single"), RequestBody.fromBytes(single));
      ResponseBytes<GetObjectResponse> one =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("single").partNumber(1));
      assertThat(one.asByteArray()).isEqualTo(single);
      assertThat(one.response().sdkHttpResponse().statusCode()).isEqualTo(206);
      assertThat(one.response().contentRange()).isEqualTo("bytes 0-4320/4321");
      assertThat(one.response().partsCount()).isNull();
      assertThat(s3.headObject(b -> b.bucket(bucket).key("single").partNumber(1)).partsCount())
          .isNull();
      assertS3Error(
          () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("single").partNumber(2)),
          416,
          "InvalidPartNumber");
    }
  }
}
