package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memos3.kv.bucket.Permission;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * S3 Object Lock through the AWS SDK (ceph/s3-tests' test_object_lock_*): bucket configuration,
 * retention and legal hold on versions, the headers of writes and reads, refused deletions and
 * GOVERNANCE bypass, default retention on every kind of write.
 */
class ObjectLockIT {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  private static Instant inDays(int days) {
    return Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String put(S3Client s3, String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
  }

  /** A one-part multipart upload of {@code key}, created with what {@code create} adds. */
  private static void multipartPut(
      S3Client s3,
      String bucket,
      String key,
      java.util.function.Consumer<CreateMultipartUploadRequest.Builder> create) {
    String id =
        s3.createMultipartUpload(
                b -> {
                  b.bucket(bucket).key(key);
                  create.accept(b);
                })
            .uploadId();
    String etag =
        s3.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1),
                RequestBody.fromString("part"))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket(bucket)
                .key(key)
                .uploadId(id)
                .multipartUpload(
                    m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
  }

  private static ObjectLockConfiguration rule(
      ObjectLockRetentionMode mode, Integer days, Integer years) {
    return ObjectLockConfiguration.builder()
        .objectLockEnabled("Enabled")
        .rule(r -> r.defaultRetention(d -> d.mode(mode).days(days).years(years)))
        .build();
  }

  /**
   * test_object_lock_put_obj_lock, _get_obj_lock, _suspend_versioning, _invalid_days/_years/_mode,
   * _with_days_and_years, _invalid_status, _invalid_bucket.
   */
  @ParameterizedTest(name = "default checksums = {0}")
  @ValueSource(booleans = {true, false})
  void aBucketsConfiguration(boolean defaultChecksums) {
    try (S3Client s3 = server.client(defaultChecksums)) {
      String bucket = bucketName("lock-config");
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status())
          .isEqualTo(BucketVersioningStatus.ENABLED);
      ObjectLockConfiguration enabled =
          s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
      assertThat(enabled.objectLockEnabledAsString()).isEqualTo("Enabled");
      assertThat(enabled.rule()).isNull();

      ObjectLockConfiguration gov = rule(ObjectLockRetentionMode.GOVERNANCE, 1, null);
      s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(gov));
      assertThat(s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration())
          .isEqualTo(gov);
      ObjectLockConfiguration years = rule(ObjectLockRetentionMode.COMPLIANCE, null, 2);
      s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(years));
      assertThat(s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration())
          .isEqualTo(years);

      assertS3Error(
          () ->
              s3.putBucketVersioning(
                  b ->
                      b.bucket(bucket)
                          .versioningConfiguration(
                              v -> v.status(BucketVersioningStatus.SUSPENDED))),
          409,
          "InvalidBucketState");
      for (ObjectLockConfiguration bad :
          List.of(
              rule(ObjectLockRetentionMode.GOVERNANCE, 0, null),
              rule(ObjectLockRetentionMode.GOVERNANCE, null, -1))) {
        assertS3Error(
            () -> s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(bad)),
            400,
            "InvalidRetentionPeriod");
      }
      for (ObjectLockConfiguration bad :
          List.of(
              rule(ObjectLockRetentionMode.GOVERNANCE, 1, 1),
              ObjectLockConfiguration.builder()
                  .objectLockEnabled("Enabled")
                  .rule(r -> r.defaultRetention(d -> d.mode("governance").days(1)))
                  .build(),
              ObjectLockConfiguration.builder().objectLockEnabled("Disabled").build())) {
        assertS3Error(
            () -> s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(bad)),
            400,
            "MalformedXML");
      }
      // Nothing refused changed the configuration.
      assertThat(s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration())
          .isEqualTo(years);

      // A bucket without Object Lock: an unversioned one cannot take it, a versioned one can.
      String plain = bucketName("lock-plain");
      s3.createBucket(b -> b.bucket(plain));
      assertS3Error(
          () -> s3.putObjectLockConfiguration(b -> b.bucket(plain).objectLockConfiguration(gov)),
          409,
          "InvalidBucketState");
      assertS3Error(
          () -> s3.getObjectLockConfiguration(b -> b.bucket(plain)),
          404,
          "ObjectLockConfigurationNotFoundError");
      put(s3, plain, "k", "x");
      assertS3Error(
          () -> s3.getObjectRetention(b -> b.bucket(plain).key("k")), 400, "InvalidRequest");
      assertS3Error(
          () -> s3.putObjectLegalHold(b -> b.bucket(plain).key("k").legalHold(l -> l.status("ON"))),
          400,
          "InvalidRequest");
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(plain)
                          .key("locked")
                          .objectLockMode(ObjectLockMode.GOVERNANCE)
                          .objectLockRetainUntilDate(inDays(1)),
                  RequestBody.fromString("x")),
          400,
          "InvalidRequest");
      assertS3Error(() -> s3.headObject(b -> b.bucket(plain).key("locked")), 404, null);
      s3.putBucketVersioning(
          b ->
              b.bucket(plain)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
      s3.putObjectLockConfiguration(b -> b.bucket(plain).objectLockConfiguration(gov));
      String v = put(s3, plain, "k", "y");
      assertThat(
              s3.getObjectRetention(b -> b.bucket(plain).key("k").versionId(v)).retention().mode())
          .isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
    }
  }

  /**
   * test_object_lock_uploading_obj, _get_obj_metadata, _put_obj_retention, _delete_object_with_
   * retention, _put_obj_retention_increase_period, _shorten_period(_bypass), _changing_mode_*,
   * _delete_object_with_retention_and_marker.
   */
  @Test
  void aRetentionProtectsItsVersion() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("lock-retention");
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      Instant until = inDays(1);
      String v =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("g")
                          .objectLockMode(ObjectLockMode.GOVERNANCE)
                          .objectLockRetainUntilDate(until),
                  RequestBody.fromString("governed"))
              .versionId();
      HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("g"));
      assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
      assertThat(head.objectLockRetainUntilDate()).isEqualTo(until);
      assertThat(head.objectLockLegalHoldStatus()).isNull();
      var retention = s3.getObjectRetention(b -> b.bucket(bucket).key("g")).retention();
      assertThat(retention.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
      assertThat(retention.retainUntilDate()).isEqualTo(until);

      assertS3Error(
          () -> s3.deleteObject(b -> b.bucket(bucket).key("g").versionId(v)), 403, "AccessDenied");
      // Shortening or changing GOVERNANCE wants the bypass; extending does not.
      assertS3Error(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("g")
                          .retention(
                              r -> r.mode("GOVERNANCE").retainUntilDate(until.minusSeconds(60)))),
          403,
          "AccessDenied");
      assertS3Error(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("g")
                          .retention(r -> r.mode("COMPLIANCE").retainUntilDate(until))),
          403,
          "AccessDenied");
      s3.putObjectRetention(
          b ->
              b.bucket(bucket)
                  .key("g")
                  .retention(r -> r.mode("GOVERNANCE").retainUntilDate(until.plusSeconds(60))));
      s3.putObjectRetention(
          b ->
              b.bucket(bucket)
                  .key("g")
                  .bypassGovernanceRetention(true)
                  .retention(r -> r.mode("GOVERNANCE").retainUntilDate(until.minusSeconds(60))));
      assertThat(
              s3.getObjectRetention(b -> b.bucket(bucket).key("g")).retention().retainUntilDate())
          .isEqualTo(until.minusSeconds(60));
      // A delete without a version id adds a marker; the version stays until bypassed.
      assertThat(s3.deleteObject(b -> b.bucket(bucket).key("g")).deleteMarker()).isTrue();
      assertS3Error(
          () -> s3.deleteObject(b -> b.bucket(bucket).key("g").versionId(v)), 403, "AccessDenied");
      s3.deleteObject(b -> b.bucket(bucket).key("g").versionId(v).bypassGovernanceRetention(true));
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("g").versionId(v)), 404, null);

      // COMPLIANCE: no bypass, no shortening, no change of mode; extending is allowed.
      String c =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("c")
                          .objectLockMode(ObjectLockMode.COMPLIANCE)
                          .objectLockRetainUntilDate(until),
                  RequestBody.fromString("complied"))
              .versionId();
      for (var change :
          List.of(List.of("COMPLIANCE", until.minusSeconds(60)), List.of("GOVERNANCE", until))) {
        assertS3Error(
            () ->
                s3.putObjectRetention(
                    b ->
                        b.bucket(bucket)
                            .key("c")
                            .bypassGovernanceRetention(true)
                            .retention(
                                r ->
                                    r.mode((String) change.get(0))
                                        .retainUntilDate((Instant) change.get(1)))),
            403,
            "AccessDenied");
      }
      s3.putObjectRetention(
          b ->
              b.bucket(bucket)
                  .key("c")
                  .versionId(c)
                  .retention(r -> r.mode("COMPLIANCE").retainUntilDate(until.plusSeconds(3600))));
      assertS3Error(
          () ->
              s3.deleteObject(
                  b -> b.bucket(bucket).key("c").versionId(c).bypassGovernanceRetention(true)),
          403,
          "AccessDenied");
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")).asUtf8String())
          .isEqualTo("complied");

      // Bad dates and modes: S3's answers, nothing written.
      assertS3Error(
          () ->
              s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("past")
                          .objectLockMode(ObjectLockMode.GOVERNANCE)
                          .objectLockRetainUntilDate(Instant.now().minusSeconds(60)),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("past").objectLockMode(ObjectLockMode.GOVERNANCE),
                  RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("past")), 404, null);
      assertS3Error(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("c")
                          .retention(
                              r ->
                                  r.mode("COMPLIANCE")
                                      .retainUntilDate(Instant.now().minusSeconds(60)))),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("c")
                          .retention(r -> r.mode("compliance").retainUntilDate(until))),
          400,
          "MalformedXML");
    }
  }

  /** A retention ends at its date: then the version is deleted like any other. */
  @Test
  void aRetentionEnds() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("lock-ends");
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      Instant soon = Instant.now().plusSeconds(2);
      String v =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("k")
                          .objectLockMode(ObjectLockMode.COMPLIANCE)
                          .objectLockRetainUntilDate(soon),
                  RequestBody.fromString("x"))
              .versionId();
      assertS3Error(
          () -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v)), 403, "AccessDenied");
      Thread.sleep(Math.max(0, soon.toEpochMilli() - System.currentTimeMillis()) + 200);
      s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
    }
  }

  /**
   * test_object_lock_put_legal_hold, _get_legal_hold, _delete_object_with_legal_hold_on/_off,
   * _multi_delete_object_with_retention, _put_legal_hold_invalid_status.
   */
  @Test
  void aLegalHoldProtectsUntilLifted() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("lock-hold");
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      String plainVersion = put(s3, bucket, "plain", "p");
      assertS3Error(
          () -> s3.getObjectLegalHold(b -> b.bucket(bucket).key("plain")),
          404,
          "NoSuchObjectLockConfiguration");
      assertS3Error(
          () -> s3.getObjectRetention(b -> b.bucket(bucket).key("plain")),
          404,
          "NoSuchObjectLockConfiguration");
      String v =
          s3.putObject(
                  b ->
                      b.bucket(bucket)
                          .key("held")
                          .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                  RequestBody.fromString("h"))
              .versionId();
      assertThat(s3.headObject(b -> b.bucket(bucket).key("held")).objectLockLegalHoldStatus())
          .isEqualTo(ObjectLockLegalHoldStatus.ON);
      assertThat(s3.getObjectLegalHold(b -> b.bucket(bucket).key("held")).legalHold().status())
          .isEqualTo(ObjectLockLegalHoldStatus.ON);
      var result =
          s3.deleteObjects(
              b ->
                  b.bucket(bucket)
                      .bypassGovernanceRetention(true)
                      .delete(
                          d ->
                              d.objects(
                                  ObjectIdentifier.builder().key("held").versionId(v).build(),
                                  ObjectIdentifier.builder()
                                      .key("plain")
                                      .versionId(plainVersion)
                                      .build())));
      assertThat(result.errors()).hasSize(1);
      assertThat(result.errors().get(0).key()).isEqualTo("held");
      assertThat(result.errors().get(0).code()).isEqualTo("AccessDenied");
      assertThat(result.errors().get(0).versionId()).isEqualTo(v);
      assertThat(result.deleted()).extracting(d -> d.key()).containsExactly("plain");
      assertS3Error(
          () ->
              s3.putObjectLegalHold(
                  b -> b.bucket(bucket).key("held").legalHold(l -> l.status("on"))),
          400,
          "MalformedXML");
      s3.putObjectLegalHold(
          b -> b.bucket(bucket).key("held").versionId(v).legalHold(l -> l.status("OFF")));
      assertThat(s3.headObject(b -> b.bucket(bucket).key("held")).objectLockLegalHoldStatus())
          .isEqualTo(ObjectLockLegalHoldStatus.OFF);
      s3.deleteObject(b -> b.bucket(bucket).key("held").versionId(v));
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).isEmpty();
    }
  }

  /**
   * The default retention reaches every write that makes a version (PUT, CopyObject, multipart), an
   * explicit one overrides it (test_object_lock_put_obj_retention_override_default_retention), and
   * a multipart upload keeps the headers given at its creation.
   */
  @Test
  void theDefaultRetentionReachesEveryWrite() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("lock-default");
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      s3.putObjectLockConfiguration(
          b ->
              b.bucket(bucket)
                  .objectLockConfiguration(rule(ObjectLockRetentionMode.GOVERNANCE, 3, null)));
      Instant before = Instant.now().plus(3, ChronoUnit.DAYS).minusSeconds(5);
      put(s3, bucket, "put", "x");
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey("put")
                  .destinationBucket(bucket)
                  .destinationKey("copy"));
      multipartPut(s3, bucket, "mp", b -> {});
      for (String key : List.of("put", "copy", "mp")) {
        HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key));
        assertThat(h.objectLockMode()).as(key).isEqualTo(ObjectLockMode.GOVERNANCE);
        assertThat(h.objectLockRetainUntilDate()).as(key).isAfter(before);
      }
      // A delete marker takes no lock (S3's 405 when named) and goes whatever the default.
      String marker = s3.deleteObject(b -> b.bucket(bucket).key("put")).versionId();
      assertS3Error(
          () ->
              s3.putObjectLegalHold(
                  b ->
                      b.bucket(bucket).key("put").versionId(marker).legalHold(l -> l.status("ON"))),
          405,
          "MethodNotAllowed");
      assertS3Error(
          () ->
              s3.putObjectRetention(
                  b ->
                      b.bucket(bucket)
                          .key("put")
                          .versionId(marker)
                          .retention(r -> r.mode("GOVERNANCE").retainUntilDate(inDays(2)))),
          405,
          "MethodNotAllowed");
      assertS3Error(
          () -> s3.getObjectRetention(b -> b.bucket(bucket).key("put").versionId(marker)),
          405,
          "MethodNotAllowed");
      s3.deleteObject(b -> b.bucket(bucket).key("put").versionId(marker));
      assertThat(s3.headObject(b -> b.bucket(bucket).key("put")).objectLockMode())
          .isEqualTo(ObjectLockMode.GOVERNANCE);

      Instant until = inDays(10);
      multipartPut(
          s3,
          bucket,
          "mp2",
          b ->
              b.objectLockMode(ObjectLockMode.COMPLIANCE)
                  .objectLockRetainUntilDate(until)
                  .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON));
      HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key("mp2"));
      assertThat(h.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
      assertThat(h.objectLockRetainUntilDate()).isEqualTo(until);
      assertThat(h.objectLockLegalHoldStatus()).isEqualTo(ObjectLockLegalHoldStatus.ON);
    }
  }

  /**
   * Only the bucket's owner may bypass GOVERNANCE, by ownership alone: a writer asking for it is
   * refused, also when a bucket policy allows it every object action; changing a version's
   * retention or legal hold afterwards is the owner's too (a writer sets them with the write).
   */
  @Test
  void onlyTheOwnerBypasses() {
    try (S3Client root = server.client(true)) {
      String bucket = bucketName("lock-bypass");
      root.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      String user = bucketName("writer");
      try (S3Client writer = server.client(server.createUser(user))) {
        server.gateway().node().users().allow(bucket, user, Permission.WRITE);
        String v =
            writer
                .putObject(
                    b ->
                        b.bucket(bucket)
                            .key("k")
                            .objectLockMode(ObjectLockMode.GOVERNANCE)
                            .objectLockRetainUntilDate(inDays(1)),
                    RequestBody.fromString("x"))
                .versionId();
        assertS3Error(
            () ->
                writer.deleteObject(
                    b -> b.bucket(bucket).key("k").versionId(v).bypassGovernanceRetention(true)),
            403,
            "AccessDenied");
        root.putBucketPolicy(
            b ->
                b.bucket(bucket)
                    .policy(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":{\"AWS\":\""
                            + user
                            + "\"},\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::"
                            + bucket
                            + "\",\"arn:aws:s3:::"
                            + bucket
                            + "/*\"]}]}"));
        assertS3Error(
            () ->
                writer.deleteObject(
                    b -> b.bucket(bucket).key("k").versionId(v).bypassGovernanceRetention(true)),
            403,
            "AccessDenied");
        assertS3Error(
            () ->
                writer.putObjectRetention(
                    b ->
                        b.bucket(bucket)
                            .key("k")
                            .bypassGovernanceRetention(true)
                            .retention(
                                r ->
                                    r.mode("GOVERNANCE")
                                        .retainUntilDate(Instant.now().plusSeconds(3600)))),
            403,
            "AccessDenied");
        root.deleteBucketPolicy(b -> b.bucket(bucket));
        assertS3Error(
            () ->
                writer.putObjectLegalHold(
                    b -> b.bucket(bucket).key("k").legalHold(l -> l.status("ON"))),
            403,
            "AccessDenied");
        root.deleteObject(
            b -> b.bucket(bucket).key("k").versionId(v).bypassGovernanceRetention(true));
      }
    }
  }
}
