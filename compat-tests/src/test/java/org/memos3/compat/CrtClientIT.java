package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;
import static org.memos3.compat.ObjectRoundTripIT.md5;
import static org.memos3.compat.ObjectRoundTripIT.random;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * The AWS SDK v2's CRT-based client ({@code S3AsyncClient.crtBuilder()}, aws-c-s3 underneath)
 * against a real node. It does what the classic client leaves to the caller: a large PutObject
 * becomes a multipart upload of parallel parts with a CRC32 trailer each, a GetObject becomes
 * parallel ranged GETs (no checksum to validate for a partial range, as on S3; small objects' are
 * validated), and a large CopyObject becomes a multipart upload of parallel UploadPartCopy. What it
 * wrote is checked with the classic client.
 */
class CrtClientIT {
  static final int MIB = 1024 * 1024;
  static final long PART = 5 * MIB;
  static final byte[] LARGE = random(40 * MIB + 123, 21);
  static TestServer server;
  static S3AsyncClient crt;
  static String bucket;
  static PutObjectResponse largePut;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    crt =
        S3AsyncClient.crtBuilder()
            .endpointOverride(URI.create(server.endpoint()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(TestServer.ACCESS_KEY, TestServer.SECRET_KEY)))
            .minimumPartSizeInBytes(PART)
            .targetThroughputInGbps(1.0)
            .maxConcurrency(8)
            .build();
    bucket = bucketName("crt");
    crt.createBucket(b -> b.bucket(bucket)).join();
    // The one large upload the tests share: the CRT client cuts it into 5 MiB parts.
    largePut =
        crt.putObject(
                b ->
                    b.bucket(bucket)
                        .key("large")
                        .contentType("application/x-crt")
                        .metadata(Map.of("origin", "crt"))
                        .tagging("kind=large"),
                AsyncRequestBody.fromBytes(LARGE))
            .join();
  }

  @AfterAll
  static void stop() {
    if (crt != null) {
      crt.close();
    }
    server.destroy();
  }

  /** The ETag S3 gives an object uploaded in parts of {@code partSize}: MD5 of the parts' MD5s. */
  static String multipartETag(byte[] data, long partSize) throws Exception {
    MessageDigest ofParts = MessageDigest.getInstance("MD5");
    int parts = 0;
    for (long from = 0; from < data.length; from += partSize) {
      byte[] part =
          Arrays.copyOfRange(data, (int) from, (int) Math.min(from + partSize, data.length));
      ofParts.update(MessageDigest.getInstance("MD5").digest(part));
      parts++;
    }
    return "\"" + HexFormat.of().formatHex(ofParts.digest()) + "-" + parts + "\"";
  }

  @Test
  void largePutIsAMultipartUploadOfFiveMibPartsWithCrc32() throws Exception {
    String expected = multipartETag(LARGE, PART);
    assertThat(expected).endsWith("-9\"");
    assertThat(largePut.eTag()).isEqualTo(expected);
    try (S3Client s3 = server.client(true)) {
      HeadObjectResponse head =
          s3.headObject(b -> b.bucket(bucket).key("large").checksumMode(ChecksumMode.ENABLED));
      assertThat(head.eTag()).isEqualTo(expected);
      assertThat(head.contentLength()).isEqualTo(LARGE.length);
      assertThat(head.checksumCRC32()).isNotNull().endsWith("-9");
      assertThat(s3.headObject(b -> b.bucket(bucket).key("large").partNumber(2)).contentLength())
          .isEqualTo(PART);
      ResponseBytes<GetObjectResponse> got =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("large"));
      assertThat(md5(got.asByteArray())).isEqualTo(md5(LARGE));
      assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
  }

  @Test
  void largeGetIsParallelRangedGetsIntoBytesAndIntoAFile(@TempDir Path dir) throws Exception {
    ResponseBytes<GetObjectResponse> bytes =
        crt.getObject(b -> b.bucket(bucket).key("large"), AsyncResponseTransformer.toBytes())
            .join();
    assertThat(md5(bytes.asByteArray())).isEqualTo(md5(LARGE));
    assertThat(bytes.response().eTag()).isEqualTo(largePut.eTag());
    Path file = dir.resolve("large");
    GetObjectResponse toFile =
        crt.getObject(b -> b.bucket(bucket).key("large"), AsyncResponseTransformer.toFile(file))
            .join();
    assertThat(md5(Files.readAllBytes(file))).isEqualTo(md5(LARGE));
    assertThat(toFile.eTag()).isEqualTo(largePut.eTag());
  }

  @Test
  void smallObjectsRoundTripAndHead() throws Exception {
    for (int size : new int[] {0, 1, 1000}) {
      byte[] data = random(size, size);
      String key = "small/" + size;
      PutObjectResponse put =
          crt.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromBytes(data)).join();
      assertThat(put.eTag()).isEqualTo("\"" + md5(data) + "\"");
      ResponseBytes<GetObjectResponse> got =
          crt.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()).join();
      assertThat(got.asByteArray()).isEqualTo(data);
      // The CRT client sends small bodies aws-chunked with a CRC32 trailer; S3 keeps neither the
      // framing's Content-Encoding nor returns it.
      assertThat(got.response().contentEncoding()).isNull();
      assertThat(got.response().checksumCRC32()).isEqualTo(put.checksumCRC32()).isNotNull();
      HeadObjectResponse head = crt.headObject(b -> b.bucket(bucket).key(key)).join();
      assertThat(head.contentLength()).isEqualTo(size);
      assertThat(head.eTag()).isEqualTo(put.eTag());
    }
  }

  @Test
  void aContentEncodingOfTheCallerIsKeptWithoutAwsChunked() throws Exception {
    byte[] data = random(100, 7);
    crt.putObject(
            b -> b.bucket(bucket).key("gzip").contentEncoding("gzip"),
            AsyncRequestBody.fromBytes(data))
        .join();
    HeadObjectResponse head = crt.headObject(b -> b.bucket(bucket).key("gzip")).join();
    assertThat(head.contentEncoding()).isEqualTo("gzip");
  }

  /**
   * The SDK's CRT client copies in Java (CopyObjectHelper), not in aws-c-s3: HeadObject for the
   * source's size, then above the part size CreateMultipartUpload with the source's metadata (and
   * its tags, from GetObjectTagging, when the tagging directive is COPY), parallel UploadPartCopy
   * of 5 MiB ranges and CompleteMultipartUpload. The parts are the source's parts, so the copy has
   * the source's ETag.
   */
  @Test
  void copyOfTheLargeObjectIsAMultipartCopyWithTheSourcesMetadataAndTags() throws Exception {
    CopyObjectResponse copied =
        crt.copyObject(
                b ->
                    b.sourceBucket(bucket)
                        .sourceKey("large")
                        .destinationBucket(bucket)
                        .destinationKey("large-copy")
                        .taggingDirective(TaggingDirective.COPY))
            .join();
    assertThat(copied.copyObjectResult().eTag()).isEqualTo(largePut.eTag());
    try (S3Client s3 = server.client(true)) {
      ResponseBytes<GetObjectResponse> got =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("large-copy"));
      assertThat(md5(got.asByteArray())).isEqualTo(md5(LARGE));
      assertThat(got.response().eTag()).isEqualTo(largePut.eTag());
      assertThat(got.response().contentType()).isEqualTo("application/x-crt");
      assertThat(got.response().metadata()).containsExactlyEntriesOf(Map.of("origin", "crt"));
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("large-copy")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(tuple("kind", "large"));
    }
  }
}
