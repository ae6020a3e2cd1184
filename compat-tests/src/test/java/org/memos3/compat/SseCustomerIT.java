package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;

/**
 * Server-side encryption with customer-provided keys (SSE-C) through the AWS SDK: an object written
 * with a key is read, ranged, copied and listed with that key only; multipart uploads carry it part
 * by part; malformed key headers get S3's 400s. (The server listens on loopback, where memo-s3
 * takes keys without TLS; TlsIT covers TLS.)
 */
class SseCustomerIT {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  /** A client key: the base64 key and the base64 MD5 of its bytes. */
  record Key(String key, String md5) {
    static Key of(long seed) throws Exception {
      byte[] k = new byte[32];
      new Random(seed).nextBytes(k);
      return new Key(
          Base64.getEncoder().encodeToString(k),
          Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(k)));
    }
  }

  /** Unblocks SSE-C on {@code bucket} (blocked by default, as on S3 since 2026). */
  static void allowSseC(S3Client s3, String bucket) {
    setSseC(s3, bucket, "NONE");
  }

  static void setSseC(S3Client s3, String bucket, String blocked) {
    s3.putBucketEncryption(
        b ->
            b.bucket(bucket)
                .serverSideEncryptionConfiguration(
                    c ->
                        c.rules(
                            r ->
                                r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("AES256"))
                                    .blockedEncryptionTypes(
                                        t -> t.encryptionTypeWithStrings(blocked)))));
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String md5Hex(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  private static byte[] get(S3Client s3, String bucket, String key, Key k) {
    return s3.getObjectAsBytes(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(k.key())
                    .sseCustomerKeyMD5(k.md5()))
        .asByteArray();
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void onlyItsKeyReadsAnObject(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("ssec");
      s3.createBucket(b -> b.bucket(bucket));
      allowSseC(s3, bucket);
      Key key = Key.of(1);
      Key other = Key.of(2);
      for (int size : new int[] {0, 100, 3 * 1024 * 1024 + 17}) {
        byte[] body = bytes(size, size);
        String name = "obj-" + size;
        var put =
            s3.putObject(
                b ->
                    b.bucket(bucket)
                        .key(name)
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(key.key())
                        .sseCustomerKeyMD5(key.md5()),
                RequestBody.fromBytes(body));
        assertThat(put.sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(put.sseCustomerKeyMD5()).isEqualTo(key.md5());
        // As on S3, the ETag of an SSE-C object is no MD5 of its plaintext.
        assertThat(put.eTag()).isNotEqualTo("\"" + md5Hex(body) + "\"");
        assertThat(get(s3, bucket, name, key)).isEqualTo(body);
        var head =
            s3.headObject(
                b ->
                    b.bucket(bucket)
                        .key(name)
                        .sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(key.key())
                        .sseCustomerKeyMD5(key.md5()));
        assertThat(head.contentLength()).isEqualTo(size);
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.sseCustomerKeyMD5()).isEqualTo(key.md5());
        assertS3Error(
            () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(name)), 400, "InvalidRequest");
        assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key(name)), 400, null);
        assertS3Error(() -> get(s3, bucket, name, other), 403, "AccessDenied");
      }
      String big = "obj-" + (3 * 1024 * 1024 + 17);
      byte[] range =
          s3.getObjectAsBytes(
                  b ->
                      b.bucket(bucket)
                          .key(big)
                          .range("bytes=1048570-2097160")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()))
              .asByteArray();
      assertThat(range)
          .isEqualTo(
              Arrays.copyOfRange(
                  bytes(3 * 1024 * 1024 + 17, 3 * 1024 * 1024 + 17), 1048570, 2097161));
      // A key for an object written without one is refused too.
      s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("p"));
      assertS3Error(() -> get(s3, bucket, "plain", key), 400, "InvalidRequest");
      // Listing shows the ETag the PUT gave.
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("obj-100")).contents().get(0).eTag())
          .isEqualTo(
              s3.headObject(
                      b ->
                          b.bucket(bucket)
                              .key("obj-100")
                              .sseCustomerAlgorithm("AES256")
                              .sseCustomerKey(key.key())
                              .sseCustomerKeyMD5(key.md5()))
                  .eTag());
      // GetObjectAttributes needs the key too.
      assertS3Error(
          () ->
              s3.getObjectAttributes(
                  b ->
                      b.bucket(bucket)
                          .key("obj-100")
                          .objectAttributes(ObjectAttributes.OBJECT_SIZE)),
          400,
          "InvalidRequest");
      assertThat(
              s3.getObjectAttributes(
                      b ->
                          b.bucket(bucket)
                              .key("obj-100")
                              .objectAttributes(ObjectAttributes.OBJECT_SIZE)
                              .sseCustomerAlgorithm("AES256")
                              .sseCustomerKey(key.key())
                              .sseCustomerKeyMD5(key.md5()))
                  .objectSize())
          .isEqualTo(100L);
    }
  }

  @Test
  void multipartUploadsCarryTheKeyPartByPart() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("ssec-mp");
      s3.createBucket(b -> b.bucket(bucket));
      allowSseC(s3, bucket);
      Key key = Key.of(3);
      byte[] one = bytes(5 * 1024 * 1024, 1);
      byte[] two = bytes(1234, 2);
      String id =
          s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("mp")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()))
              .uploadId();
      assertS3Error(
          () ->
              s3.uploadPart(
                  b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1),
                  RequestBody.fromBytes(one)),
          400,
          "InvalidRequest");
      Key other = Key.of(4);
      assertS3Error(
          () ->
              s3.uploadPart(
                  b ->
                      b.bucket(bucket)
                          .key("mp")
                          .uploadId(id)
                          .partNumber(1)
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(other.key())
                          .sseCustomerKeyMD5(other.md5()),
                  RequestBody.fromBytes(one)),
          400,
          "InvalidRequest");
      String[] etags = new String[2];
      byte[][] parts = {one, two};
      for (int i = 0; i < 2; i++) {
        int n = i + 1;
        byte[] part = parts[i];
        etags[i] =
            s3.uploadPart(
                    b ->
                        b.bucket(bucket)
                            .key("mp")
                            .uploadId(id)
                            .partNumber(n)
                            .sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(key.key())
                            .sseCustomerKeyMD5(key.md5()),
                    RequestBody.fromBytes(part))
                .eTag();
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("mp")
                  .uploadId(id)
                  .multipartUpload(
                      m ->
                          m.parts(
                              CompletedPart.builder().partNumber(1).eTag(etags[0]).build(),
                              CompletedPart.builder().partNumber(2).eTag(etags[1]).build())));
      byte[] all = new byte[one.length + two.length];
      System.arraycopy(one, 0, all, 0, one.length);
      System.arraycopy(two, 0, all, one.length, two.length);
      assertThat(get(s3, bucket, "mp", key)).isEqualTo(all);
      assertS3Error(
          () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp")), 400, "InvalidRequest");
    }
  }

  /** Copies decrypt with the source's key and encrypt with the target's (or none). */
  @Test
  void copiesChangeKeys() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("ssec-copy");
      s3.createBucket(b -> b.bucket(bucket));
      allowSseC(s3, bucket);
      Key a = Key.of(5);
      Key b2 = Key.of(6);
      byte[] body = bytes(200_000, 7);
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key("src")
                  .sseCustomerAlgorithm("AES256")
                  .sseCustomerKey(a.key())
                  .sseCustomerKeyMD5(a.md5()),
          RequestBody.fromBytes(body));
      // Without the source's key the copy is refused.
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("src")
                          .destinationBucket(bucket)
                          .destinationKey("plain")),
          400,
          "InvalidRequest");
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("plain")
                  .copySourceSSECustomerAlgorithm("AES256")
                  .copySourceSSECustomerKey(a.key())
                  .copySourceSSECustomerKeyMD5(a.md5()));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain")).asByteArray())
          .isEqualTo(body);
      assertThat(s3.headObject(b -> b.bucket(bucket).key("plain")).eTag())
          .isEqualTo("\"" + md5Hex(body) + "\"");
      // The object re-keyed in place: copying onto itself with another key is a change.
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("src")
                  .destinationBucket(bucket)
                  .destinationKey("src")
                  .copySourceSSECustomerAlgorithm("AES256")
                  .copySourceSSECustomerKey(a.key())
                  .copySourceSSECustomerKeyMD5(a.md5())
                  .sseCustomerAlgorithm("AES256")
                  .sseCustomerKey(b2.key())
                  .sseCustomerKeyMD5(b2.md5()));
      assertThat(get(s3, bucket, "src", b2)).isEqualTo(body);
      assertS3Error(() -> get(s3, bucket, "src", a), 403, "AccessDenied");
      // A plain object copied under a key.
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("plain")
                  .destinationBucket(bucket)
                  .destinationKey("keyed")
                  .sseCustomerAlgorithm("AES256")
                  .sseCustomerKey(a.key())
                  .sseCustomerKeyMD5(a.md5()));
      assertThat(get(s3, bucket, "keyed", a)).isEqualTo(body);
      // UploadPartCopy from a keyed source into a keyed upload.
      String id =
          s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("mpc")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(b2.key())
                          .sseCustomerKeyMD5(b2.md5()))
              .uploadId();
      String etag =
          s3.uploadPartCopy(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("keyed")
                          .destinationBucket(bucket)
                          .destinationKey("mpc")
                          .uploadId(id)
                          .partNumber(1)
                          .copySourceSSECustomerAlgorithm("AES256")
                          .copySourceSSECustomerKey(a.key())
                          .copySourceSSECustomerKeyMD5(a.md5())
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(b2.key())
                          .sseCustomerKeyMD5(b2.md5()))
              .copyPartResult()
              .eTag();
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("mpc")
                  .uploadId(id)
                  .multipartUpload(
                      m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
      assertThat(get(s3, bucket, "mpc", b2)).isEqualTo(body);
    }
  }

  /** Malformed key headers get S3's 400s, and nothing is written. */
  @Test
  void badKeyHeaders() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("ssec-bad");
      s3.createBucket(b -> b.bucket(bucket));
      allowSseC(s3, bucket);
      Key key = Key.of(8);
      String wrongMd5 = Key.of(9).md5();
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .sseCustomerAlgorithm("AES128")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()),
                  RequestBody.fromString("x")),
          400,
          "InvalidEncryptionAlgorithmError");
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(wrongMd5),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
      String shortMd5 =
          Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[16]));
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(shortKey)
                          .sseCustomerKeyMD5(shortMd5),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .serverSideEncryption("AES256")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("k")), 404, null);
    }
  }

  /**
   * An upload with a checksum algorithm answers ListParts and CompleteMultipartUpload with
   * checksums of the plaintext: with the key only, as on S3. Equal contents under one key still get
   * different ETags (bound to the write).
   */
  @Test
  void checksumsOfKeyedUploadsNeedTheKey() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("ssec-sum");
      s3.createBucket(b -> b.bucket(bucket));
      allowSseC(s3, bucket);
      Key key = Key.of(10);
      String id =
          s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("sum")
                          .checksumAlgorithm("CRC32")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()))
              .uploadId();
      var part =
          s3.uploadPart(
              b ->
                  b.bucket(bucket)
                      .key("sum")
                      .uploadId(id)
                      .partNumber(1)
                      .checksumAlgorithm("CRC32")
                      .sseCustomerAlgorithm("AES256")
                      .sseCustomerKey(key.key())
                      .sseCustomerKeyMD5(key.md5()),
              RequestBody.fromString("checked part"));
      assertS3Error(
          () -> s3.listParts(b -> b.bucket(bucket).key("sum").uploadId(id)), 400, "InvalidRequest");
      assertThat(
              s3.listParts(
                      b ->
                          b.bucket(bucket)
                              .key("sum")
                              .uploadId(id)
                              .sseCustomerAlgorithm("AES256")
                              .sseCustomerKey(key.key())
                              .sseCustomerKeyMD5(key.md5()))
                  .parts())
          .hasSize(1);
      CompletedPart done =
          CompletedPart.builder()
              .partNumber(1)
              .eTag(part.eTag())
              .checksumCRC32(part.checksumCRC32())
              .build();
      assertS3Error(
          () ->
              s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket).key("sum").uploadId(id).multipartUpload(m -> m.parts(done))),
          400,
          "InvalidRequest");
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("sum")
                  .uploadId(id)
                  .multipartUpload(m -> m.parts(done))
                  .sseCustomerAlgorithm("AES256")
                  .sseCustomerKey(key.key())
                  .sseCustomerKeyMD5(key.md5()));
      assertThat(new String(get(s3, bucket, "sum", key))).isEqualTo("checked part");

      String first =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("same-1")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()),
                  RequestBody.fromString("same"))
              .eTag();
      String second =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("same-2")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()),
                  RequestBody.fromString("same"))
              .eTag();
      assertThat(first).isNotEqualTo(second);
    }
  }

  /**
   * SSE-C is blocked for new objects by default, as on S3 since 2026 (re-encrypting objects under a
   * key only an attacker holds is a ransomware technique): writes with a key are 403 and write
   * nothing; GetBucketEncryption says SSE-C is blocked; the owner unblocks it and blocks it again,
   * and objects written meanwhile stay readable with their key.
   */
  @Test
  void sseCIsBlockedUntilTheOwnerAllowsIt() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("ssec-blocked");
      s3.createBucket(b -> b.bucket(bucket));
      Key key = Key.of(12);
      Key other = Key.of(13);
      var rule =
          s3.getBucketEncryption(b -> b.bucket(bucket))
              .serverSideEncryptionConfiguration()
              .rules()
              .get(0);
      assertThat(rule.blockedEncryptionTypes().encryptionTypeAsStrings()).containsExactly("SSE-C");
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5()),
                  RequestBody.fromString("x")),
          403,
          "AccessDenied");
      assertS3Error(
          () ->
              s3.createMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key("mp")
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(key.key())
                          .sseCustomerKeyMD5(key.md5())),
          403,
          "AccessDenied");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("k")), 404, null);
      allowSseC(s3, bucket);
      assertThat(
              s3.getBucketEncryption(b -> b.bucket(bucket))
                  .serverSideEncryptionConfiguration()
                  .rules()
                  .get(0)
                  .blockedEncryptionTypes()
                  .encryptionTypeAsStrings())
          .containsExactly("NONE");
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key("k")
                  .sseCustomerAlgorithm("AES256")
                  .sseCustomerKey(key.key())
                  .sseCustomerKeyMD5(key.md5()),
          RequestBody.fromString("x"));
      setSseC(s3, bucket, "SSE-C");
      assertThat(new String(get(s3, bucket, "k", key))).isEqualTo("x");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("k")
                          .copySourceSSECustomerAlgorithm("AES256")
                          .copySourceSSECustomerKey(key.key())
                          .copySourceSSECustomerKeyMD5(key.md5())
                          .sseCustomerAlgorithm("AES256")
                          .sseCustomerKey(other.key())
                          .sseCustomerKeyMD5(other.md5())),
          403,
          "AccessDenied");
      // DeleteBucketEncryption returns to the default: blocked.
      allowSseC(s3, bucket);
      s3.deleteBucketEncryption(b -> b.bucket(bucket));
      assertThat(
              s3.getBucketEncryption(b -> b.bucket(bucket))
                  .serverSideEncryptionConfiguration()
                  .rules()
                  .get(0)
                  .blockedEncryptionTypes()
                  .encryptionTypeAsStrings())
          .containsExactly("SSE-C");
    }
  }
}
