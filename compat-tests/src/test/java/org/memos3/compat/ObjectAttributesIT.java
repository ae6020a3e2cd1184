package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * GetObjectAttributes through the SDK: single and multipart objects, with and without checksums.
 */
class ObjectAttributesIT {
  static final int MIB = 1024 * 1024;
  static TestServer server;
  static String bucket;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    bucket = bucketName("attrs");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  static GetObjectAttributesResponse attributes(S3Client s3, String key) {
    return s3.getObjectAttributes(
        b ->
            b.bucket(bucket)
                .key(key)
                .objectAttributes(
                    ObjectAttributes.E_TAG,
                    ObjectAttributes.CHECKSUM,
                    ObjectAttributes.OBJECT_PARTS,
                    ObjectAttributes.STORAGE_CLASS,
                    ObjectAttributes.OBJECT_SIZE));
  }

  @Test
  void aSinglePutsAttributes() throws Exception {
    try (S3Client s3 = server.client(true)) {
      byte[] data = ObjectRoundTripIT.random(100_000, 1);
      var put =
          s3.putObject(
              b -> b.bucket(bucket).key("one").checksumAlgorithm(ChecksumAlgorithm.SHA256),
              RequestBody.fromBytes(data));
      GetObjectAttributesResponse a = attributes(s3, "one");
      assertThat(a.eTag()).isEqualTo(ObjectRoundTripIT.md5(data)); // no quotes, as on S3
      assertThat(a.checksum().checksumSHA256()).isEqualTo(put.checksumSHA256());
      assertThat(a.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
      assertThat(a.objectSize()).isEqualTo(100_000L);
      assertThat(a.storageClass()).isEqualTo(StorageClass.STANDARD);
      assertThat(a.objectParts()).isNull();
      assertThat(a.lastModified()).isNotNull();

      // Only what is asked for.
      GetObjectAttributesResponse size =
          s3.getObjectAttributes(
              b -> b.bucket(bucket).key("one").objectAttributes(ObjectAttributes.OBJECT_SIZE));
      assertThat(size.objectSize()).isEqualTo(100_000L);
      assertThat(size.eTag()).isNull();
      assertThat(size.checksum()).isNull();
    }
    try (S3Client s3 = server.client(false)) {
      s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("plain"));
      assertThat(attributes(s3, "plain").checksum()).isNull();
    }
  }

  @Test
  void aMultipartObjectsPartsPageByPage() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String key = "parts";
      String id =
          s3.createMultipartUpload(
                  b -> b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32))
              .uploadId();
      List<CompletedPart> done = new ArrayList<>();
      int[] sizes = {5 * MIB, 5 * MIB + 1, 1000};
      for (int n = 1; n <= 3; n++) {
        int pn = n;
        var r =
            s3.uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(id)
                        .partNumber(pn)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(ObjectRoundTripIT.random(sizes[n - 1], n)));
        done.add(
            CompletedPart.builder()
                .partNumber(n)
                .eTag(r.eTag())
                .checksumCRC32(r.checksumCRC32())
                .build());
      }
      var completed =
          s3.completeMultipartUpload(
              b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(done)));
      GetObjectAttributesResponse a = attributes(s3, key);
      assertThat("\"" + a.eTag() + "\"").isEqualTo(completed.eTag());
      // Without the -3 that HEAD and the completion give, as S3 answers here.
      assertThat(completed.checksumCRC32()).endsWith("-3");
      assertThat(a.checksum().checksumCRC32())
          .isEqualTo(completed.checksumCRC32().replaceFirst("-3$", ""));
      assertThat(a.checksum().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
      assertThat(a.objectSize()).isEqualTo((long) 10 * MIB + 1001);
      assertThat(a.objectParts().totalPartsCount()).isEqualTo(3);
      assertThat(a.objectParts().isTruncated()).isFalse();
      assertThat(a.objectParts().parts())
          .extracting(ObjectPart::partNumber, ObjectPart::size, ObjectPart::checksumCRC32)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, (long) sizes[0], done.get(0).checksumCRC32()),
              org.assertj.core.groups.Tuple.tuple(2, (long) sizes[1], done.get(1).checksumCRC32()),
              org.assertj.core.groups.Tuple.tuple(3, (long) sizes[2], done.get(2).checksumCRC32()));

      GetObjectAttributesResponse first =
          s3.getObjectAttributes(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .maxParts(2)
                      .objectAttributes(ObjectAttributes.OBJECT_PARTS));
      assertThat(first.objectParts().isTruncated()).isTrue();
      assertThat(first.objectParts().maxParts()).isEqualTo(2);
      assertThat(first.objectParts().nextPartNumberMarker()).isEqualTo(2);
      assertThat(first.objectParts().parts())
          .extracting(ObjectPart::partNumber)
          .containsExactly(1, 2);
      GetObjectAttributesResponse second =
          s3.getObjectAttributes(
              b ->
                  b.bucket(bucket)
                      .key(key)
                      .maxParts(2)
                      .partNumberMarker(2)
                      .objectAttributes(ObjectAttributes.OBJECT_PARTS));
      assertThat(second.objectParts().isTruncated()).isFalse();
      assertThat(second.objectParts().partNumberMarker()).isEqualTo(2);
      assertThat(second.objectParts().parts())
          .extracting(ObjectPart::partNumber)
          .containsExactly(3);
    }
  }

  @Test
  void refusalsAndMissingVersions() {
    try (S3Client s3 = server.client(true)) {
      s3.putObject(b -> b.bucket(bucket).key("gone"), RequestBody.fromString("x"));
      assertS3Error(
          () ->
              s3.getObjectAttributes(
                  b -> b.bucket(bucket).key("gone").objectAttributesWithStrings("Colour")),
          400,
          "InvalidArgument");
      s3.deleteObject(b -> b.bucket(bucket).key("gone"));
      assertS3Error(() -> attributes(s3, "gone"), 404, "NoSuchKey");
      assertS3Error(() -> attributes(s3, "never"), 404, "NoSuchKey");
    }
  }

  /** A multipart object without checksums: the part count alone, as S3 gives it. */
  @Test
  void aMultipartObjectWithoutChecksumsGivesItsPartCount() {
    try (S3Client s3 = server.client(false)) {
      String key = "plain-parts";
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
      List<CompletedPart> done = new ArrayList<>();
      for (int n = 1; n <= 2; n++) {
        int pn = n;
        var r =
            s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(id).partNumber(pn),
                RequestBody.fromBytes(ObjectRoundTripIT.random(pn == 1 ? 5 * MIB : 10, pn)));
        done.add(CompletedPart.builder().partNumber(n).eTag(r.eTag()).build());
      }
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(done)));
      GetObjectAttributesResponse a = attributes(s3, key);
      assertThat(a.checksum()).isNull();
      assertThat(a.objectParts().totalPartsCount()).isEqualTo(2);
      assertThat(a.objectParts().parts()).isEmpty();
      assertThat(a.objectParts().isTruncated()).isNull();
    }
  }
}
