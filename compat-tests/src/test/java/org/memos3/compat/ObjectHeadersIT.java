package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Object metadata, encryption and storage-class headers, conditionals and their S3 errors. */
class ObjectHeadersIT {
  static TestServer server;
  static String bucket;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    bucket = bucketName("headers");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  @Test
  void metadataAndStandardHeadersRoundTrip() {
    try (S3Client s3 = server.client(true)) {
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key("meta")
                  .contentType("text/plain")
                  .contentDisposition("attachment; filename=x.txt")
                  .cacheControl("max-age=60")
                  .contentLanguage("fr")
                  .metadata(Map.of("color", "blue", "size", "XL")),
          RequestBody.fromString("hello"));
      var head = s3.headObject(b -> b.bucket(bucket).key("meta"));
      assertThat(head.contentType()).isEqualTo("text/plain");
      assertThat(head.contentDisposition()).isEqualTo("attachment; filename=x.txt");
      assertThat(head.cacheControl()).isEqualTo("max-age=60");
      assertThat(head.contentLanguage()).isEqualTo("fr");
      assertThat(head.metadata()).containsEntry("color", "blue").containsEntry("size", "XL");
      var got =
          s3.getObjectAsBytes(
              b -> b.bucket(bucket).key("meta").responseContentType("application/x-override"));
      assertThat(got.response().contentType()).isEqualTo("application/x-override");
    }
  }

  @Test
  void encryptionAndStorageClassHeaders() {
    try (S3Client s3 = server.client(true)) {
      var put =
          s3.putObject(
              b ->
                  b.bucket(bucket)
                      .key("sse")
                      .serverSideEncryption(ServerSideEncryption.AES256)
                      .storageClass("STANDARD"),
              RequestBody.fromString("x"));
      assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
      assertThat(s3.headObject(b -> b.bucket(bucket).key("sse")).serverSideEncryption())
          .isEqualTo(ServerSideEncryption.AES256);
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("glacier").storageClass("GLACIER"),
                  RequestBody.fromString("x")),
          501,
          "NotImplemented");
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("bogus").storageClass("NOT_A_CLASS"),
                  RequestBody.fromString("x")),
          400,
          "InvalidStorageClass");
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("kms")
                          .serverSideEncryption(ServerSideEncryption.AWS_KMS),
                  RequestBody.fromString("x")),
          501,
          "NotImplemented");
      // Malformed encryption requests are S3's 400 before anything is stored.
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("conflict")
                          .serverSideEncryption(ServerSideEncryption.AES256)
                          .ssekmsKeyId("alias/key"),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("kms-key-only").ssekmsKeyId("alias/key"),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("customer-key-only")
                          .overrideConfiguration(
                              o ->
                                  o.putHeader(
                                      "x-amz-server-side-encryption-customer-key",
                                      "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=")),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      for (String key : List.of("conflict", "kms-key-only", "customer-key-only")) {
        assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key(key)), 404, null);
      }
      // The header belongs to writes: a read that sends it is refused.
      assertS3Error(
          () ->
              s3.getObjectAsBytes(
                  b ->
                      b.bucket(bucket)
                          .key("sse")
                          .overrideConfiguration(
                              o -> o.putHeader("x-amz-server-side-encryption", "AES256"))),
          400,
          "InvalidArgument");
    }
  }

  @Test
  void limitsAnswerS3Errors() {
    try (S3Client s3 = server.client(true)) {
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("big-meta").metadata(Map.of("m", "v".repeat(2100))),
                  RequestBody.fromString("x")),
          400,
          "MetadataTooLarge");
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("k".repeat(1025)), RequestBody.fromString("x")),
          400,
          "KeyTooLongError");
      // 1,024 bytes is allowed.
      s3.putObject(b -> b.bucket(bucket).key("k".repeat(1024)), RequestBody.fromString("x"));
    }
  }

  /**
   * s3-tests: test_get_object_ifmatch_failed, ifnonematch_good, ifmodifiedsince,
   * put_object_ifnonmatch_failed.
   */
  @Test
  void conditionalsFollowS3Precedence() {
    try (S3Client s3 = server.client(true)) {
      String etag =
          s3.putObject(b -> b.bucket(bucket).key("cond"), RequestBody.fromString("v1")).eTag();
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket(bucket).key("cond").ifMatch(etag)).asUtf8String())
          .isEqualTo("v1");
      assertS3Error(
          () -> s3.getObject(b -> b.bucket(bucket).key("cond").ifMatch("\"nope\"")),
          412,
          "PreconditionFailed");
      try {
        s3.getObject(b -> b.bucket(bucket).key("cond").ifNoneMatch(etag));
        throw new AssertionError("expected 304");
      } catch (S3Exception e) {
        assertThat(e.statusCode()).isEqualTo(304);
      }
      Instant future = Instant.now().plusSeconds(3600);
      try {
        s3.getObject(b -> b.bucket(bucket).key("cond").ifModifiedSince(future));
        throw new AssertionError("expected 304");
      } catch (S3Exception e) {
        assertThat(e.statusCode()).isEqualTo(304);
      }
      Instant past = Instant.now().minusSeconds(3600);
      assertS3Error(
          () -> s3.getObject(b -> b.bucket(bucket).key("cond").ifUnmodifiedSince(past)),
          412,
          "PreconditionFailed");
      // If-Match true wins over a failing If-Unmodified-Since (RFC 7232 and S3).
      assertThat(
              s3.getObjectAsBytes(
                      b -> b.bucket(bucket).key("cond").ifMatch(etag).ifUnmodifiedSince(past))
                  .asUtf8String())
          .isEqualTo("v1");
      // Conditional writes.
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("cond").ifNoneMatch("*"), RequestBody.fromString("v2")),
          412,
          "PreconditionFailed");
      s3.putObject(b -> b.bucket(bucket).key("cond").ifMatch(etag), RequestBody.fromString("v2"));
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("cond").ifMatch(etag), RequestBody.fromString("v3")),
          412,
          "PreconditionFailed");
      s3.putObject(
          b -> b.bucket(bucket).key("fresh").ifNoneMatch("*"), RequestBody.fromString("new"));
    }
  }
}
