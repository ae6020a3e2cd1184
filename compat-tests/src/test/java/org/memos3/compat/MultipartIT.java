package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;
import static org.memos3.compat.ObjectRoundTripIT.md5;
import static org.memos3.compat.ObjectRoundTripIT.random;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Multipart uploads through the AWS SDK v2 against a real node. */
class MultipartIT {
  static final int MIB = 1024 * 1024;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  static void assertS3Error(Runnable r, int status, String code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              }
            });
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void uploadListCompleteAndReadBack(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("mpu");
      s3.createBucket(b -> b.bucket(bucket));
      String id =
          s3.createMultipartUpload(b -> b.bucket(bucket).key("big").contentType("text/x-test"))
              .uploadId();
      assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads())
          .extracting(u -> u.uploadId())
          .containsExactly(id);
      byte[][] parts = {random(5 * MIB, 1), random(5 * MIB + 3, 2), random(1000, 3)};
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      MessageDigest etagOfEtags = MessageDigest.getInstance("MD5");
      List<CompletedPart> done = new ArrayList<>();
      for (int i = 0; i < parts.length; i++) {
        int n = i + 1;
        byte[] data = parts[i];
        String etag =
            s3.uploadPart(
                    b -> b.bucket(bucket).key("big").uploadId(id).partNumber(n),
                    RequestBody.fromBytes(data))
                .eTag();
        assertThat(etag).isEqualTo("\"" + md5(data) + "\"");
        done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        whole.write(data);
        etagOfEtags.update(HexFormat.of().parseHex(md5(data)));
      }
      // Re-uploading a part number replaces it.
      byte[] replaced = random(1000, 4);
      String etag3 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("big").uploadId(id).partNumber(3),
                  RequestBody.fromBytes(replaced))
              .eTag();
      done.set(2, CompletedPart.builder().partNumber(3).eTag(etag3).build());
      whole.reset();
      whole.write(parts[0]);
      whole.write(parts[1]);
      whole.write(replaced);
      etagOfEtags.reset();
      for (byte[] p : new byte[][] {parts[0], parts[1], replaced}) {
        etagOfEtags.update(HexFormat.of().parseHex(md5(p)));
      }
      assertThat(s3.listParts(b -> b.bucket(bucket).key("big").uploadId(id)).parts())
          .extracting(p -> p.partNumber())
          .containsExactly(1, 2, 3);
      String etag =
          s3.completeMultipartUpload(
                  b -> b.bucket(bucket).key("big").uploadId(id).multipartUpload(m -> m.parts(done)))
              .eTag();
      assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(etagOfEtags.digest()) + "-3\"");
      var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("big"));
      assertThat(md5(got.asByteArray())).isEqualTo(md5(whole.toByteArray()));
      assertThat(got.response().contentType()).isEqualTo("text/x-test");
      byte[] wholeBytes = whole.toByteArray();
      int from = 5 * MIB - 10;
      int to = 10 * MIB + 20;
      byte[] range =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("big").range("bytes=" + from + "-" + to))
              .asByteArray();
      assertThat(md5(range)).isEqualTo(md5(java.util.Arrays.copyOfRange(wholeBytes, from, to + 1)));
      assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
      assertS3Error(
          () -> s3.listParts(b -> b.bucket(bucket).key("big").uploadId(id)), 404, "NoSuchUpload");
    }
  }

  @Test
  void completeRejectsBadPartListsAndAbortEndsTheUpload() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("mpu-errors");
      s3.createBucket(b -> b.bucket(bucket));
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
      String e1 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(id).partNumber(1),
                  RequestBody.fromBytes(random(1000, 1)))
              .eTag();
      String e2 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(id).partNumber(2),
                  RequestBody.fromBytes(random(1000, 2)))
              .eTag();
      CompletedPart p1 = CompletedPart.builder().partNumber(1).eTag(e1).build();
      CompletedPart p2 = CompletedPart.builder().partNumber(2).eTag(e2).build();
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket).key("k").uploadId(id).multipartUpload(m -> m.parts(p2, p1))),
          400,
          "InvalidPartOrder");
      CompletedPart wrong = CompletedPart.builder().partNumber(2).eTag("\"0000\"").build();
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .uploadId(id)
                          .multipartUpload(m -> m.parts(p1, wrong))),
          400,
          "InvalidPart");
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket).key("k").uploadId(id).multipartUpload(m -> m.parts(p1, p2))),
          400,
          "EntityTooSmall");
      assertS3Error(
          () ->
              s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(id).partNumber(10001),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      s3.abortMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(id));
      assertS3Error(
          () ->
              s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(id).partNumber(3),
                  RequestBody.fromString("x")),
          404,
          "NoSuchUpload");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("k")), 404, null);
      s3.deleteBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * A CompleteMultipartUpload repeated after it succeeded (the client lost the first answer)
   * answers as the first while the version it made exists, noncurrent included; with other parts,
   * or once that version is gone, the upload is unknown.
   */
  @Test
  void repeatedCompleteAnswersAsTheFirstWhileItsVersionExists() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("mpu-again");
      s3.createBucket(b -> b.bucket(bucket));
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
      String e1 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("k").uploadId(id).partNumber(1),
                  RequestBody.fromBytes(random(1000, 1)))
              .eTag();
      CompletedPart p1 = CompletedPart.builder().partNumber(1).eTag(e1).build();
      var first =
          s3.completeMultipartUpload(
              b -> b.bucket(bucket).key("k").uploadId(id).multipartUpload(m -> m.parts(p1)));
      var again =
          s3.completeMultipartUpload(
              b -> b.bucket(bucket).key("k").uploadId(id).multipartUpload(m -> m.parts(p1)));
      assertThat(first.versionId()).isNull();
      assertThat(again.eTag()).isEqualTo(first.eTag());
      assertThat(again.location()).isEqualTo(first.location());
      assertThat(again.bucket()).isEqualTo(bucket);
      assertThat(again.key()).isEqualTo("k");
      CompletedPart other = CompletedPart.builder().partNumber(1).eTag(md5(new byte[1])).build();
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b -> b.bucket(bucket).key("k").uploadId(id).multipartUpload(m -> m.parts(other))),
          404,
          "NoSuchUpload");
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("newer"));
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b -> b.bucket(bucket).key("k").uploadId(id).multipartUpload(m -> m.parts(p1))),
          404,
          "NoSuchUpload");

      // Versioned: a noncurrent version is still that write, until it is deleted.
      s3.putBucketVersioning(
          b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
      String vid = s3.createMultipartUpload(b -> b.bucket(bucket).key("v")).uploadId();
      String ev =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("v").uploadId(vid).partNumber(1),
                  RequestBody.fromBytes(random(1000, 2)))
              .eTag();
      CompletedPart pv = CompletedPart.builder().partNumber(1).eTag(ev).build();
      var made =
          s3.completeMultipartUpload(
              b -> b.bucket(bucket).key("v").uploadId(vid).multipartUpload(m -> m.parts(pv)));
      // test_versioning_bucket_multipart_upload_return_version_id
      assertThat(made.versionId())
          .isNotNull()
          .isEqualTo(s3.headObject(b -> b.bucket(bucket).key("v")).versionId());
      s3.putObject(b -> b.bucket(bucket).key("v"), RequestBody.fromString("newer"));
      var repeated =
          s3.completeMultipartUpload(
              b -> b.bucket(bucket).key("v").uploadId(vid).multipartUpload(m -> m.parts(pv)));
      assertThat(repeated.eTag()).isEqualTo(made.eTag());
      assertThat(repeated.versionId()).isEqualTo(made.versionId());
      s3.deleteObject(b -> b.bucket(bucket).key("v").versionId(made.versionId()));
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b -> b.bucket(bucket).key("v").uploadId(vid).multipartUpload(m -> m.parts(pv))),
          404,
          "NoSuchUpload");
    }
  }

  /**
   * ListMultipartUploads rolls keys up at a delimiter into CommonPrefixes, which count towards
   * max-uploads and page by key-marker as in ListObjects.
   */
  @Test
  void listUploadsWithADelimiter() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("mpu-delim");
      s3.createBucket(b -> b.bucket(bucket));
      for (String k : List.of("a/1", "a/2", "b/1", "c", "d/x/1", "d/y")) {
        s3.createMultipartUpload(b -> b.bucket(bucket).key(k));
      }
      var all = s3.listMultipartUploads(b -> b.bucket(bucket).delimiter("/"));
      assertThat(all.uploads()).extracting(u -> u.key()).containsExactly("c");
      assertThat(all.commonPrefixes())
          .extracting(c -> c.prefix())
          .containsExactly("a/", "b/", "d/");
      assertThat(all.isTruncated()).isFalse();
      var inD = s3.listMultipartUploads(b -> b.bucket(bucket).prefix("d/").delimiter("/"));
      assertThat(inD.uploads()).extracting(u -> u.key()).containsExactly("d/y");
      assertThat(inD.commonPrefixes()).extracting(c -> c.prefix()).containsExactly("d/x/");

      List<String> paged = new ArrayList<>();
      String keyMarker = null;
      String idMarker = null;
      while (true) {
        String km = keyMarker;
        String im = idMarker;
        var page =
            s3.listMultipartUploads(
                b ->
                    b.bucket(bucket).delimiter("/").maxUploads(1).keyMarker(km).uploadIdMarker(im));
        page.uploads().forEach(u -> paged.add(u.key()));
        page.commonPrefixes().forEach(c -> paged.add(c.prefix()));
        assertThat(page.uploads().size() + page.commonPrefixes().size()).isEqualTo(1);
        if (!page.isTruncated()) {
          break;
        }
        keyMarker = page.nextKeyMarker();
        idMarker = page.nextUploadIdMarker();
      }
      assertThat(paged).containsExactly("a/", "b/", "c", "d/");
    }
  }
}
