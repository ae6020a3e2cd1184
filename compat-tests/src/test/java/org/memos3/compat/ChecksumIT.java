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
}
