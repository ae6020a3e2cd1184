package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket versioning through the AWS SDK v2, as AWS documents it. */
class VersioningIT {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  private static String get(S3Client s3, String bucket, String key, String versionId) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  @Test
  void versionsDeleteMarkersAndSuspension() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("versions");
      s3.createBucket(b -> b.bucket(bucket));
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isNull();
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.ENABLED);

      String v1 =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one")).versionId();
      String v2 =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("two")).versionId();
      assertThat(v1).isNotBlank().isNotEqualTo(v2);
      assertThat(get(s3, bucket, "k", null)).isEqualTo("two");
      assertThat(get(s3, bucket, "k", v1)).isEqualTo("one");
      assertThat(s3.headObject(b -> b.bucket(bucket).key("k")).versionId()).isEqualTo(v2);

      var del = s3.deleteObject(b -> b.bucket(bucket).key("k"));
      assertThat(del.deleteMarker()).isTrue();
      String marker = del.versionId();
      assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("k")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
                assertThat(
                        e.awsErrorDetails()
                            .sdkHttpResponse()
                            .firstMatchingHeader("x-amz-delete-marker"))
                    .hasValue("true");
              });
      assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("k").versionId(marker)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(405);
                // The delete marker's date, as S3 gives it with this 405.
                assertThat(
                        e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Last-Modified"))
                    .isPresent();
              });
      assertThatThrownBy(
              () -> s3.getObject(b -> b.bucket(bucket).key("k").versionId("doesnotexist000")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchVersion"));
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();

      ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket));
      assertThat(versions.versions()).extracting(v -> v.versionId()).containsExactly(v2, v1);
      assertThat(versions.deleteMarkers()).extracting(m -> m.versionId()).containsExactly(marker);
      assertThat(versions.deleteMarkers().get(0).isLatest()).isTrue();

      // Removing the delete marker makes v2 current again.
      s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(marker));
      assertThat(get(s3, bucket, "k", null)).isEqualTo("two");

      // A versioned bucket with versions is not empty.
      assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));

      // Suspended: writes get the null version, which a second write replaces.
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
      assertThat(
              s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("three"))
                  .versionId())
          .isEqualTo("null");
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("four"));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions())
          .extracting(v -> v.versionId())
          .containsExactly("null", v2, v1);
      assertThat(get(s3, bucket, "k", "null")).isEqualTo("four");

      // Deleting every version (DeleteObjects with version ids) empties the bucket.
      s3.deleteObjects(
          b ->
              b.bucket(bucket)
                  .delete(
                      d ->
                          d.objects(
                              ObjectIdentifier.builder().key("k").versionId("null").build(),
                              ObjectIdentifier.builder().key("k").versionId(v2).build(),
                              ObjectIdentifier.builder().key("k").versionId(v1).build())));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
      s3.deleteBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * The raw ListVersionsResult: Version and DeleteMarker elements form one sequence, keys in byte
   * order and each key's versions newest first, as AWS writes it (the SDK parses them into two
   * lists and hides the order, so the body is captured before parsing), also across pages cut
   * inside a key. s3-tests reads through boto3, which cannot see the order; the closest case is
   * test_versioning_obj_list_marker.
   */
  @Test
  void versionsAndDeleteMarkersInterleaveInTheRawXml() {
    AtomicReference<String> body = new AtomicReference<>();
    ExecutionInterceptor capture =
        new ExecutionInterceptor() {
          @Override
          public Optional<InputStream> modifyHttpResponseContent(
              Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!"ListObjectVersions"
                .equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
              return context.responseBody();
            }
            try (InputStream in = context.responseBody().orElseThrow()) {
              byte[] b = in.readAllBytes();
              body.set(new String(b, StandardCharsets.UTF_8));
              return Optional.of(new ByteArrayInputStream(b));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    try (S3Client s3 =
        server
            .clientBuilder(true, TestServer.ACCESS_KEY, TestServer.SECRET_KEY)
            .overrideConfiguration(o -> o.addExecutionInterceptor(capture))
            .build()) {
      String bucket = bucketName("interleave");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
      // "a": version, delete marker, version. "b": version, then a delete marker on top.
      String a1 =
          s3.putObject(b -> b.bucket(bucket).key("a"), RequestBody.fromString("1")).versionId();
      String a2 = s3.deleteObject(b -> b.bucket(bucket).key("a")).versionId();
      String a3 =
          s3.putObject(b -> b.bucket(bucket).key("a"), RequestBody.fromString("3")).versionId();
      String b1 =
          s3.putObject(b -> b.bucket(bucket).key("b"), RequestBody.fromString("1")).versionId();
      String b2 = s3.deleteObject(b -> b.bucket(bucket).key("b")).versionId();

      ListObjectVersionsResponse r = s3.listObjectVersions(b -> b.bucket(bucket));
      assertThat(r.versions()).extracting(v -> v.versionId()).containsExactly(a3, a1, b1);
      assertThat(r.deleteMarkers()).extracting(m -> m.versionId()).containsExactly(a2, b2);

      Matcher m =
          Pattern.compile(
                  "<(Version|DeleteMarker)><Key>([^<]*)</Key><VersionId>([^<]*)</VersionId>"
                      + "<IsLatest>(true|false)</IsLatest>")
              .matcher(body.get());
      List<String> sequence = new ArrayList<>();
      while (m.find()) {
        sequence.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
      }
      assertThat(sequence)
          .containsExactly(
              "Version a " + a3 + " true",
              "DeleteMarker a " + a2 + " false",
              "Version a " + a1 + " false",
              "DeleteMarker b " + b2 + " true",
              "Version b " + b1 + " false");

      // The same order across pages of 2 (markers continue within a key).
      List<String> paged = new ArrayList<>();
      String keyMarker = null;
      String idMarker = null;
      while (true) {
        String km = keyMarker;
        String im = idMarker;
        ListObjectVersionsResponse page =
            s3.listObjectVersions(
                b -> b.bucket(bucket).maxKeys(2).keyMarker(km).versionIdMarker(im));
        Matcher pm =
            Pattern.compile("<(Version|DeleteMarker)><Key>([^<]*)</Key><VersionId>([^<]*)<")
                .matcher(body.get());
        while (pm.find()) {
          paged.add(pm.group(1) + " " + pm.group(2) + " " + pm.group(3));
        }
        if (!page.isTruncated()) {
          break;
        }
        keyMarker = page.nextKeyMarker();
        idMarker = page.nextVersionIdMarker();
      }
      assertThat(paged)
          .containsExactly(
              "Version a " + a3,
              "DeleteMarker a " + a2,
              "Version a " + a1,
              "DeleteMarker b " + b2,
              "Version b " + b1);
    }
  }

  /**
   * s3-tests' concurrent create-and-remove, on the real grid: every version of a key deleted at
   * once, one request per version, leaves no version (a version promoted to current while its own
   * delete ran used to come back), with PUTs of other versions racing the deletes in every other
   * round (60 rounds, about 5 s). A CI run once found a deleted version left after such a round: a
   * delete that did not find its version in the log answered before a promotion of it, half applied
   * as its reader saw it, had set the head (DESIGN.md, "Versions").
   */
  @Test
  void concurrentDeletesOfEveryVersionLeaveNone() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("concurrent-versions");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
      for (int round = 0; round < 60; round++) {
        String key = "k" + round;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          ids.add(
              s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[6000]))
                  .versionId());
        }
        boolean withPuts = round % 2 == 1;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<String>> done = new ArrayList<>();
        for (String id : ids) {
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    s3.deleteObject(b -> b.bucket(bucket).key(key).versionId(id));
                    return null;
                  }));
          if (withPuts) {
            done.add(
                pool.submit(
                    () -> {
                      go.await();
                      return s3.putObject(
                              b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[7000]))
                          .versionId();
                    }));
          }
        }
        go.countDown();
        List<String> added = new ArrayList<>();
        for (var f : done) {
          String v = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
          if (v != null) {
            added.add(v);
          }
        }
        List<String> left = new ArrayList<>();
        s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(key))
            .forEach(p -> p.versions().forEach(v -> left.add(v.versionId())));
        assertThat(left).as("round %d", round).containsExactlyInAnyOrderElementsOf(added);
        for (String v : left) {
          assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(v)).asByteArray())
              .hasSize(7000);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A version-id marker names a version of the key marker's key: without a key marker it is 400
   * InvalidArgument; with one it pages as usual.
   */
  @Test
  void aVersionIdMarkerNeedsAKeyMarker() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("vmarker");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
      String v1 =
          s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("1")).versionId();
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("2"));
      assertThatThrownBy(() -> s3.listObjectVersions(b -> b.bucket(bucket).versionIdMarker(v1)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument");
              });
      ListObjectVersionsResponse after =
          s3.listObjectVersions(b -> b.bucket(bucket).keyMarker("k").versionIdMarker(v1));
      assertThat(after.versions()).isEmpty();
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).hasSize(2);
    }
  }
}
