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

  /** The checksum of {@code alg} in an SDK response or part ({@code ChecksumSHA256} etc.). */
  private static String checksumOf(
      software.amazon.awssdk.core.SdkPojo pojo, ChecksumAlgorithm alg) {
    software.amazon.awssdk.core.SdkField<?> field =
        pojo.sdkFields().stream()
            .filter(f -> f.memberName().equals("Checksum" + alg))
            .findFirst()
            .orElseThrow();
    return (String) field.getValueOrDefault(pojo);
  }

  /**
   * UploadPartCopy into an upload with a checksum algorithm computes the copied part's checksum, as
   * S3 does: CopyPartResult carries it, ListParts lists it, and the completion with every part's
   * checksum succeeds (without it a copied part had none and the completion was refused).
   */
  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "SHA256"})
  void copiedPartsGetTheirChecksum(ChecksumAlgorithm alg) throws Exception {
    try (S3Client s3 = server.client(true)) {
      String key = "copied-parts-" + alg;
      byte[] source = ObjectRoundTripIT.random(5 * 1024 * 1024 + 100, 21);
      s3.putObject(b -> b.bucket(bucket).key(key + "-source"), RequestBody.fromBytes(source));
      String id =
          s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(alg))
              .uploadId();
      var copied =
          s3.uploadPartCopy(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey(key + "-source")
                          .copySourceRange("bytes=0-" + (5 * 1024 * 1024 - 1))
                          .destinationBucket(bucket)
                          .destinationKey(key)
                          .uploadId(id)
                          .partNumber(1))
              .copyPartResult();
      byte[] first = java.util.Arrays.copyOf(source, 5 * 1024 * 1024);
      String expected =
          alg == ChecksumAlgorithm.SHA256
              ? java.util.Base64.getEncoder()
                  .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(first))
              : crc32(first);
      String got =
          alg == ChecksumAlgorithm.SHA256 ? copied.checksumSHA256() : copied.checksumCRC32();
      assertThat(got).isEqualTo(expected);
      byte[] tail = ObjectRoundTripIT.random(4321, 22);
      var uploaded =
          s3.uploadPart(
              b -> b.bucket(bucket).key(key).uploadId(id).partNumber(2).checksumAlgorithm(alg),
              RequestBody.fromBytes(tail));
      assertThat(
              s3.listParts(b -> b.bucket(bucket).key(key).uploadId(id)).parts().stream()
                  .map(p -> checksumOf(p, alg))
                  .toList())
          .containsExactly(expected, checksumOf(uploaded, alg));
      var p1 = software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1);
      var p2 = software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(2);
      p1.eTag(copied.eTag());
      p2.eTag(uploaded.eTag());
      if (alg == ChecksumAlgorithm.SHA256) {
        p1.checksumSHA256(expected);
        p2.checksumSHA256(checksumOf(uploaded, alg));
      } else {
        p1.checksumCRC32(expected);
        p2.checksumCRC32(checksumOf(uploaded, alg));
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key(key)
                  .uploadId(id)
                  .multipartUpload(m -> m.parts(p1.build(), p2.build())));
      byte[] whole =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED))
              .asByteArray();
      assertThat(whole).hasSize(first.length + tail.length);
      assertThat(java.util.Arrays.copyOf(whole, first.length)).isEqualTo(first);
    }
  }

  private static String crc32(byte[] b) {
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(b);
    return java.util.Base64.getEncoder()
        .encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
  }

  /**
   * Per-part checksums: ListParts gives each part's checksum in the element of the upload's
   * algorithm, and GET/HEAD with {@code partNumber} and checksum mode ENABLED give the part's own
   * checksum (type COMPOSITE) for a COMPOSITE object, which the SDK validates against the part's
   * bytes on GET; a FULL_OBJECT object of two parts gives none for a part (no stored checksum
   * covers it), and a partial range none either.
   */
  @ParameterizedTest
  @EnumSource(
      value = ChecksumAlgorithm.class,
      names = {"CRC32", "CRC32_C", "CRC64_NVME", "SHA1", "SHA256"})
  void partsCarryTheirChecksums(ChecksumAlgorithm alg) throws Exception {
    try (S3Client s3 = server.client(true)) {
      String key = "parts-" + alg;
      boolean full = alg == ChecksumAlgorithm.CRC64_NVME;
      String id =
          s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(alg))
              .uploadId();
      byte[][] bodies = {
        ObjectRoundTripIT.random(5 * 1024 * 1024, 11), ObjectRoundTripIT.random(4321, 12)
      };
      java.util.List<String> sums = new java.util.ArrayList<>();
      java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> done =
          new java.util.ArrayList<>();
      for (int i = 0; i < bodies.length; i++) {
        int num = i + 1;
        var r =
            s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(id).partNumber(num).checksumAlgorithm(alg),
                RequestBody.fromBytes(bodies[i]));
        String sum = checksumOf(r, alg);
        assertThat(sum).isNotNull();
        sums.add(sum);
        var part =
            software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                .partNumber(num)
                .eTag(r.eTag());
        switch (alg) {
          case CRC32 -> part.checksumCRC32(sum);
          case CRC32_C -> part.checksumCRC32C(sum);
          case CRC64_NVME -> part.checksumCRC64NVME(sum);
          case SHA1 -> part.checksumSHA1(sum);
          default -> part.checksumSHA256(sum);
        }
        done.add(part.build());
      }

      var listed = s3.listParts(b -> b.bucket(bucket).key(key).uploadId(id));
      assertThat(listed.parts()).extracting(p -> checksumOf(p, alg)).isEqualTo(sums);
      assertThat(listed.checksumAlgorithm()).isEqualTo(alg);
      assertThat(listed.checksumTypeAsString()).isEqualTo(full ? "FULL_OBJECT" : "COMPOSITE");

      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(done)));

      for (int i = 0; i < bodies.length; i++) {
        int num = i + 1;
        var head =
            s3.headObject(
                b -> b.bucket(bucket).key(key).partNumber(num).checksumMode(ChecksumMode.ENABLED));
        var got =
            s3.getObjectAsBytes(
                b -> b.bucket(bucket).key(key).partNumber(num).checksumMode(ChecksumMode.ENABLED));
        assertThat(got.asByteArray()).isEqualTo(bodies[i]);
        assertThat(head.partsCount()).isEqualTo(2);
        if (full) {
          assertThat(checksumOf(head, alg)).isNull();
          assertThat(checksumOf(got.response(), alg)).isNull();
        } else {
          assertThat(checksumOf(head, alg)).isEqualTo(sums.get(i));
          assertThat(head.checksumTypeAsString()).isEqualTo("COMPOSITE");
          assertThat(checksumOf(got.response(), alg)).isEqualTo(sums.get(i));
          assertThat(got.response().checksumTypeAsString()).isEqualTo("COMPOSITE");
        }
      }
      // The whole object: the composite value with its -2 suffix, or the full-object CRC.
      var whole = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(checksumOf(whole, alg)).isNotNull();
      assertThat(checksumOf(whole, alg).endsWith("-2")).isEqualTo(!full);
      assertThat(
              checksumOf(
                  s3.headObject(
                      b ->
                          b.bucket(bucket)
                              .key(key)
                              .range("bytes=0-99")
                              .checksumMode(ChecksumMode.ENABLED)),
                  alg))
          .isNull();
    }
  }

  /**
   * A range or part number that covers a whole object answers with its checksum (the bytes it
   * covers), a partial range without one.
   */
  @Test
  void aRangeCoveringTheObjectCarriesItsChecksum() throws Exception {
    try (S3Client s3 = server.client(true)) {
      byte[] data = ObjectRoundTripIT.random(1000, 3);
      var put =
          s3.putObject(
              b -> b.bucket(bucket).key("ranged").checksumAlgorithm(ChecksumAlgorithm.SHA256),
              RequestBody.fromBytes(data));
      var all =
          s3.getObjectAsBytes(
              b ->
                  b.bucket(bucket)
                      .key("ranged")
                      .range("bytes=0-")
                      .checksumMode(ChecksumMode.ENABLED));
      assertThat(all.response().checksumSHA256()).isEqualTo(put.checksumSHA256());
      var part =
          s3.headObject(
              b -> b.bucket(bucket).key("ranged").partNumber(1).checksumMode(ChecksumMode.ENABLED));
      assertThat(part.checksumSHA256()).isEqualTo(put.checksumSHA256());
      assertThat(part.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
      var some =
          s3.getObjectAsBytes(
              b ->
                  b.bucket(bucket)
                      .key("ranged")
                      .range("bytes=1-10")
                      .checksumMode(ChecksumMode.ENABLED));
      assertThat(some.asByteArray()).hasSize(10);
      assertThat(some.response().checksumSHA256()).isNull();
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
