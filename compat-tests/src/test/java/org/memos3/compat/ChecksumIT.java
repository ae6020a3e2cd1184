package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * Flexible checksums through the SDK: every algorithm sent in an aws-chunked trailer, stored and
 * returned with checksum mode ENABLED (and validated by the SDK on GET); a wrong header value is
 * BadDigest and stores nothing.
 */
class ChecksumIT {
  static TestServer server;
  static String bucket;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    bucket = bucketName("checksums");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32_C", "CRC64_NVME", "SHA1", "SHA256"})
  void everyAlgorithmRoundTrips(ChecksumAlgorithm alg) throws Exception {
    try (S3Client s3 = server.client(true)) {
      byte[] data = ObjectRoundTripIT.random(3 * 1024 * 1024 + 11, alg.ordinal());
      String key = "k-" + alg;
      var put =
          s3.putObject(
              b -> b.bucket(bucket).key(key).checksumAlgorithm(alg), RequestBody.fromBytes(data));
      var got =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(ObjectRoundTripIT.md5(got.asByteArray())).isEqualTo(ObjectRoundTripIT.md5(data));
      String stored =
          switch (alg) {
            case CRC32 -> got.response().checksumCRC32();
            case CRC32_C -> got.response().checksumCRC32C();
            case CRC64_NVME -> got.response().checksumCRC64NVME();
            case SHA1 -> got.response().checksumSHA1();
            case SHA256 -> got.response().checksumSHA256();
            default -> null;
          };
      String sent =
          switch (alg) {
            case CRC32 -> put.checksumCRC32();
            case CRC32_C -> put.checksumCRC32C();
            case CRC64_NVME -> put.checksumCRC64NVME();
            case SHA1 -> put.checksumSHA1();
            case SHA256 -> put.checksumSHA256();
            default -> null;
          };
      assertThat(stored).isNotNull().isEqualTo(sent);
    }
  }

  @Test
  void aWrongChecksumIsBadDigestAndStoresNothing() {
    try (S3Client s3 = server.client(false)) {
      CRC32 crc = new CRC32();
      crc.update("something else".getBytes());
      byte[] wrong = java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("bad")
                          .checksumCRC32(Base64.getEncoder().encodeToString(wrong)),
                  RequestBody.fromString("the body")),
          400,
          "BadDigest");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("bad")), 404, null);
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("bad-md5").contentMD5("AAAAAAAAAAAAAAAAAAAAAA=="),
                  RequestBody.fromString("the body")),
          400,
          "BadDigest");
    }
  }

  /** Multipart checksums: COMPOSITE with CRC32 (-N suffix), FULL_OBJECT with CRC64NVME. */
  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC64_NVME"})
  void multipartObjectsGetCompositeOrFullObjectChecksums(ChecksumAlgorithm alg) throws Exception {
    try (S3Client s3 = server.client(true)) {
      String key = "mpu-" + alg;
      boolean full = alg == ChecksumAlgorithm.CRC64_NVME;
      String id =
          s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key(key)
                          .checksumAlgorithm(alg)
                          .checksumType(
                              full
                                  ? software.amazon.awssdk.services.s3.model.ChecksumType
                                      .FULL_OBJECT
                                  : software.amazon.awssdk.services.s3.model.ChecksumType
                                      .COMPOSITE))
              .uploadId();
      byte[] p1 = ObjectRoundTripIT.random(5 * 1024 * 1024, 1);
      byte[] p2 = ObjectRoundTripIT.random(1234, 2);
      java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> done =
          new java.util.ArrayList<>();
      int n = 1;
      for (byte[] p : new byte[][] {p1, p2}) {
        int num = n++;
        var r =
            s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(id).partNumber(num).checksumAlgorithm(alg),
                RequestBody.fromBytes(p));
        done.add(
            software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                .partNumber(num)
                .eTag(r.eTag())
                .checksumCRC32(r.checksumCRC32())
                .checksumCRC64NVME(r.checksumCRC64NVME())
                .build());
      }
      var complete =
          s3.completeMultipartUpload(
              b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(done)));
      if (full) {
        org.memos3.auth.checksum.StreamingChecksum c =
            org.memos3.auth.checksum.ChecksumAlgorithm.CRC64NVME.newChecksum();
        c.update(p1, 0, p1.length);
        c.update(p2, 0, p2.length);
        assertThat(complete.checksumCRC64NVME()).isEqualTo(c.base64());
        assertThat(complete.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
      } else {
        assertThat(complete.checksumCRC32()).endsWith("-2");
        assertThat(complete.checksumTypeAsString()).isEqualTo("COMPOSITE");
      }
      // The SDK validates a full-object checksum on GET.
      var got =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(got.asByteArray()).hasSize(p1.length + p2.length);
      assertThat(got.response().checksumTypeAsString())
          .isEqualTo(full ? "FULL_OBJECT" : "COMPOSITE");
    }
  }

  @Test
  void sha256CannotBeFullObject() {
    try (S3Client s3 = server.client(true)) {
      assertS3Error(
          () ->
              s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("x")
                          .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                          .checksumType(
                              software.amazon.awssdk.services.s3.model.ChecksumType.FULL_OBJECT)),
          400,
          "InvalidRequest");
    }
  }
}
