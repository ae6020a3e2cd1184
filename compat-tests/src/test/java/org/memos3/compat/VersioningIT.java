package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(405));
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
}
