package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The walking skeleton's path through every layer, with the AWS SDK v2 against a real node. */
class ObjectRoundTripIT {
  static final int[] SIZES = {0, 1, 1024 * 1024, 1024 * 1024 + 1, 20 * 1024 * 1024};
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  static String bucketName(String test) {
    return (test + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void putGetListDeleteEverySize(boolean defaultChecksums) throws Exception {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("roundtrip");
      s3.createBucket(b -> b.bucket(bucket));
      assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(bucket));
      s3.headBucket(b -> b.bucket(bucket));
      for (int size : SIZES) {
        byte[] data = random(size, size);
        String key = "obj/" + size;
        PutObjectResponse put =
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
        assertThat(put.eTag()).isEqualTo("\"" + md5(data) + "\"");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        assertThat(md5(got.asByteArray())).isEqualTo(md5(data));
        assertThat(got.response().eTag()).isEqualTo("\"" + md5(data) + "\"");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
        assertThat(head.contentLength()).isEqualTo(size);
      }
      ListObjectsV2Response list = s3.listObjectsV2(b -> b.bucket(bucket));
      assertThat(list.contents())
          .extracting(S3Object::key)
          .containsExactly("obj/0", "obj/1", "obj/1048576", "obj/1048577", "obj/20971520");
      assertThat(list.contents().get(4).size()).isEqualTo(20 * 1024 * 1024);
      for (int size : SIZES) {
        s3.deleteObject(b -> b.bucket(bucket).key("obj/" + size));
      }
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
      assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("obj/1")))
          .isInstanceOf(NoSuchKeyException.class);
      s3.deleteBucket(b -> b.bucket(bucket));
      assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    }
  }

  @Test
  void rangedGetsReturnTheRightBytes() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("range");
      s3.createBucket(b -> b.bucket(bucket));
      byte[] data = random(3 * 1024 * 1024 + 7, 9);
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
      for (long[] r : new long[][] {{0, 0}, {1048570, 1048590}, {5, 3145735}, {3145700, 3145734}}) {
        byte[] got =
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=" + r[0] + "-" + r[1]))
                .asByteArray();
        int end = (int) Math.min(r[1] + 1, data.length);
        assertThat(md5(got)).isEqualTo(md5(java.util.Arrays.copyOfRange(data, (int) r[0], end)));
      }
      assertThatThrownBy(
              () -> s3.getObject(b -> b.bucket(bucket).key("k").range("bytes=99999999-")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(416);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
              });
    }
  }

  @Test
  void wrongSecretIsSignatureDoesNotMatch() {
    try (S3Client s3 = server.client(true, "not-the-secret")) {
      assertThatThrownBy(() -> s3.listBuckets())
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
              });
    }
  }

  @Test
  void bucketErrorsAreS3s() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("errors");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("x"), RequestBody.fromString("x"));
      assertThatThrownBy(() -> s3.createBucket(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou"));
      assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(409);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
              });
      assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("no-such-bucket-here")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket");
              });
      assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("xn--reserved-prefix")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketName"));
    }
  }

  /**
   * Small PUTs of one key from 8 threads at once (committed on the event loop, where a lost head
   * CAS goes on on a worker): in a versioned bucket every acknowledged PUT is exactly one version,
   * and each version holds the body that was sent with it.
   */
  @Test
  void concurrentSmallPutsOfOneKeyEachMakeOneVersion() throws Exception {
    String bucket = bucketName("same-key");
    int threads = 8;
    int each = 30;
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(
                      v ->
                          v.status(
                              software.amazon.awssdk.services.s3.model.BucketVersioningStatus
                                  .ENABLED)));
      java.util.Map<String, String> sent = new java.util.concurrent.ConcurrentHashMap<>();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      String body = "writer " + thread + " put " + i + " ".repeat(thread * 10);
                      PutObjectResponse r =
                          s3.putObject(
                              b -> b.bucket(bucket).key("k"), RequestBody.fromString(body));
                      sent.put(r.versionId(), body);
                    }
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(sent).hasSize(threads * each);
      List<software.amazon.awssdk.services.s3.model.ObjectVersion> versions =
          s3.listObjectVersionsPaginator(b -> b.bucket(bucket)).versions().stream().toList();
      assertThat(versions)
          .extracting(software.amazon.awssdk.services.s3.model.ObjectVersion::versionId)
          .containsExactlyInAnyOrderElementsOf(sent.keySet());
      for (var v : versions) {
        String got =
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v.versionId()))
                .asUtf8String();
        assertThat(got).isEqualTo(sent.get(v.versionId()));
        assertThat(v.eTag()).isEqualTo("\"" + md5(got.getBytes()) + "\"");
      }
    }
  }

  @Test
  void objectsSurviveARestart() throws Exception {
    String bucket = bucketName("restart");
    byte[] data = random(5 * 1024 * 1024 + 3, 42);
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(data));
      s3.putObject(b -> b.bucket(bucket).key("small"), RequestBody.fromString("hello"));
    }
    server.restart();
    try (S3Client s3 = server.client(true)) {
      assertThat(md5(s3.getObjectAsBytes(b -> b.bucket(bucket).key("big")).asByteArray()))
          .isEqualTo(md5(data));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("small")).asUtf8String())
          .isEqualTo("hello");
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents())
          .extracting(S3Object::key)
          .isEqualTo(List.of("big", "small"));
    }
  }
}
