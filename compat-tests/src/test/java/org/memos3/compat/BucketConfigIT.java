package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Type;

/** Bucket tagging, ACLs, CORS (configuration, preflight, actual requests) and lifecycle. */
class BucketConfigIT {
  static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  @Test
  void bucketTagging() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("btags");
      s3.createBucket(b -> b.bucket(bucket));
      assertS3Error(() -> s3.getBucketTagging(b -> b.bucket(bucket)), 404, "NoSuchTagSet");
      s3.putBucketTagging(
          b ->
              b.bucket(bucket)
                  .tagging(
                      t ->
                          t.tagSet(
                              Tag.builder().key("project").value("memo").build(),
                              Tag.builder().key("team").value("s 3").build())));
      assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("project", "memo"),
              org.assertj.core.groups.Tuple.tuple("team", "s 3"));
      List<Tag> fifty = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        fifty.add(Tag.builder().key("k" + i).value("v").build());
      }
      s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(fifty)));
      // Sorted by key (k0, k1, k10, ...) as AWS returns them, not in the order given.
      List<Tag> sorted = new ArrayList<>(fifty);
      sorted.sort(java.util.Comparator.comparing(Tag::key));
      assertThat(sorted).isNotEqualTo(fifty);
      assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()).isEqualTo(sorted);
      List<Tag> fiftyOne = new ArrayList<>(fifty);
      fiftyOne.add(Tag.builder().key("k50").value("v").build());
      assertS3Error(
          () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(fiftyOne))),
          400,
          "BadRequest");
      assertS3Error(
          () ->
              s3.putBucketTagging(
                  b ->
                      b.bucket(bucket)
                          .tagging(
                              t ->
                                  t.tagSet(
                                      Tag.builder().key("a").value("1").build(),
                                      Tag.builder().key("a").value("2").build()))),
          400,
          "InvalidTag");
      s3.deleteBucketTagging(b -> b.bucket(bucket));
      assertS3Error(() -> s3.getBucketTagging(b -> b.bucket(bucket)), 404, "NoSuchTagSet");
      assertS3Error(
          () -> s3.getBucketTagging(b -> b.bucket(bucketName("nobucket"))), 404, "NoSuchBucket");
    }
  }

  @Test
  void aclsReflectOwnerAndPublicFlag() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("acl");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
      GetBucketAclResponse acl = s3.getBucketAcl(b -> b.bucket(bucket));
      assertThat(acl.owner().id()).isEqualTo("root");
      assertThat(acl.grants()).hasSize(1);
      Grant g = acl.grants().get(0);
      assertThat(g.permission()).isEqualTo(Permission.FULL_CONTROL);
      assertThat(g.grantee().type()).isEqualTo(Type.CANONICAL_USER);
      assertThat(g.grantee().id()).isEqualTo("root");

      s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
      acl = s3.getBucketAcl(b -> b.bucket(bucket));
      assertThat(acl.grants()).hasSize(2);
      assertThat(acl.grants().get(1).grantee().type()).isEqualTo(Type.GROUP);
      assertThat(acl.grants().get(1).grantee().uri())
          .isEqualTo("http://acs.amazonaws.com/groups/global/AllUsers");
      assertThat(acl.grants().get(1).permission()).isEqualTo(Permission.READ);
      assertThat(AccessIT.anonymous("GET", server.endpoint() + "/" + bucket + "/k").statusCode())
          .isEqualTo(200);
      GetObjectAclResponse oacl = s3.getObjectAcl(b -> b.bucket(bucket).key("k"));
      assertThat(oacl.owner().id()).isEqualTo("root");
      assertThat(oacl.grants()).hasSize(2);

      s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PRIVATE));
      assertThat(s3.getBucketAcl(b -> b.bucket(bucket)).grants()).hasSize(1);
      assertThat(AccessIT.anonymous("GET", server.endpoint() + "/" + bucket + "/k").statusCode())
          .isEqualTo(403);
      assertS3Error(
          () -> s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ_WRITE)),
          501,
          "NotImplemented");
      assertS3Error(
          () ->
              s3.putBucketAcl(
                  b ->
                      b.bucket(bucket)
                          .accessControlPolicy(
                              p ->
                                  p.owner(o -> o.id("root"))
                                      .grants(
                                          Grant.builder()
                                              .grantee(gr -> gr.type(Type.CANONICAL_USER).id("x"))
                                              .permission(Permission.READ)
                                              .build()))),
          501,
          "NotImplemented");

      s3.putObjectAcl(b -> b.bucket(bucket).key("k").acl(ObjectCannedACL.PRIVATE));
      assertS3Error(
          () -> s3.putObjectAcl(b -> b.bucket(bucket).key("k").acl(ObjectCannedACL.PUBLIC_READ)),
          501,
          "NotImplemented");
      assertS3Error(() -> s3.getObjectAcl(b -> b.bucket(bucket).key("missing")), 404, "NoSuchKey");
      assertS3Error(
          () -> s3.putObjectAcl(b -> b.bucket(bucket).key("missing").acl(ObjectCannedACL.PRIVATE)),
          404,
          "NoSuchKey");
      assertS3Error(
          () ->
              s3.putObjectAcl(
                  b -> b.bucket(bucket).key("missing").acl(ObjectCannedACL.PUBLIC_READ)),
          501,
          "NotImplemented");
    }
  }

  @Test
  void aclChangesNeedTheOwner() {
    var key = server.createUser("aclreader" + System.nanoTime() % 100000);
    try (S3Client s3 = server.client(true);
        S3Client user = server.client(key)) {
      String bucket = bucketName("aclown");
      s3.createBucket(b -> b.bucket(bucket));
      server
          .gateway()
          .node()
          .buckets()
          .grant(bucket, key.user(), org.memos3.kv.bucket.Permission.WRITE);
      assertS3Error(
          () -> user.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ)),
          403,
          "AccessDenied");
      assertThat(s3.getBucketAcl(b -> b.bucket(bucket)).grants()).hasSize(1);
    }
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void corsConfigurationPreflightAndActualRequests() throws Exception {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("cors");
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
      assertS3Error(() -> s3.getBucketCors(b -> b.bucket(bucket)), 404, "NoSuchCORSConfiguration");
      String url = server.endpoint() + "/" + bucket + "/k";
      HttpResponse<String> notEnabled =
          send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "GET"));
      assertThat(notEnabled.statusCode()).isEqualTo(403);
      assertThat(notEnabled.body()).contains("<Code>AccessForbidden</Code>");

      s3.putBucketCors(
          b ->
              b.bucket(bucket)
                  .corsConfiguration(
                      c ->
                          c.corsRules(
                              CORSRule.builder()
                                  .id("app")
                                  .allowedOrigins("https://*.example.com")
                                  .allowedMethods("GET", "PUT")
                                  .allowedHeaders("x-amz-*", "content-type")
                                  .exposeHeaders("ETag", "x-amz-version-id")
                                  .maxAgeSeconds(3000)
                                  .build(),
                              CORSRule.builder()
                                  .allowedOrigins("*")
                                  .allowedMethods("HEAD")
                                  .build())));
      List<CORSRule> rules = s3.getBucketCors(b -> b.bucket(bucket)).corsRules();
      assertThat(rules).hasSize(2);
      assertThat(rules.get(0).id()).isEqualTo("app");
      assertThat(rules.get(0).allowedOrigins()).containsExactly("https://*.example.com");
      assertThat(rules.get(0).allowedMethods()).containsExactly("GET", "PUT");
      assertThat(rules.get(0).allowedHeaders()).containsExactly("x-amz-*", "content-type");
      assertThat(rules.get(0).exposeHeaders()).containsExactly("ETag", "x-amz-version-id");
      assertThat(rules.get(0).maxAgeSeconds()).isEqualTo(3000);
      assertThat(rules.get(1).allowedMethods()).containsExactly("HEAD");

      HttpResponse<String> ok =
          send(
              HttpRequest.newBuilder(URI.create(url + "?X-Amz-Signature=abc"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example.com")
                  .header("Access-Control-Request-Method", "PUT")
                  .header("Access-Control-Request-Headers", "Content-Type, X-Amz-Date"));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://app.example.com");
      assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, PUT");
      assertThat(ok.headers().firstValue("Access-Control-Allow-Headers"))
          .hasValue("Content-Type, X-Amz-Date");
      assertThat(ok.headers().firstValue("Access-Control-Max-Age")).hasValue("3000");
      assertThat(ok.headers().firstValue("Access-Control-Expose-Headers"))
          .hasValue("ETag, x-amz-version-id");

      HttpResponse<String> anyOrigin =
          send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://other.org")
                  .header("Access-Control-Request-Method", "HEAD"));
      assertThat(anyOrigin.statusCode()).isEqualTo(200);
      assertThat(anyOrigin.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

      for (String[] bad :
          new String[][] {
            {"https://evil.org", "GET", null},
            {"https://app.example.com", "DELETE", null},
            {"https://app.example.com", "GET", "authorization"}
          }) {
        HttpRequest.Builder r =
            HttpRequest.newBuilder(URI.create(url))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", bad[0])
                .header("Access-Control-Request-Method", bad[1]);
        if (bad[2] != null) {
          r.header("Access-Control-Request-Headers", bad[2]);
        }
        HttpResponse<String> denied = send(r);
        assertThat(denied.statusCode()).as(String.join(" ", bad[0], bad[1])).isEqualTo(403);
        assertThat(denied.body())
            .contains("<Code>AccessForbidden</Code>")
            .contains("CORSResponse: This CORS request is not allowed.");
      }
      HttpResponse<String> noOrigin =
          send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Access-Control-Request-Method", "GET"));
      assertThat(noOrigin.statusCode()).isEqualTo(400);

      // An actual (signed) request with a matching Origin gets the CORS headers.
      var got =
          s3.getObject(
              b ->
                  b.bucket(bucket)
                      .key("k")
                      .overrideConfiguration(
                          o -> o.putHeader("Origin", "https://app.example.com")));
      got.readAllBytes();
      var http = got.response().sdkHttpResponse();
      assertThat(http.firstMatchingHeader("Access-Control-Allow-Origin"))
          .hasValue("https://app.example.com");
      assertThat(http.firstMatchingHeader("Access-Control-Expose-Headers"))
          .hasValue("ETag, x-amz-version-id");
      got.close();
      var plain = s3.getObject(b -> b.bucket(bucket).key("k"));
      plain.readAllBytes();
      assertThat(
              plain.response().sdkHttpResponse().firstMatchingHeader("Access-Control-Allow-Origin"))
          .isEmpty();
      plain.close();

      assertS3Error(
          () ->
              s3.putBucketCors(
                  b ->
                      b.bucket(bucket)
                          .corsConfiguration(
                              c ->
                                  c.corsRules(
                                      CORSRule.builder()
                                          .allowedOrigins("*")
                                          .allowedMethods("PATCH")
                                          .build()))),
          400,
          "InvalidRequest");
      assertS3Error(
          () ->
              s3.putBucketCors(
                  b ->
                      b.bucket(bucket)
                          .corsConfiguration(
                              c ->
                                  c.corsRules(
                                      CORSRule.builder()
                                          .allowedOrigins("https://*.*.example.com")
                                          .allowedMethods("GET")
                                          .build()))),
          400,
          "InvalidRequest");
      s3.deleteBucketCors(b -> b.bucket(bucket));
      assertS3Error(() -> s3.getBucketCors(b -> b.bucket(bucket)), 404, "NoSuchCORSConfiguration");
    }
  }

  @Test
  void lifecycleConfiguration() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("lifecycle");
      s3.createBucket(b -> b.bucket(bucket));
      assertS3Error(
          () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)),
          404,
          "NoSuchLifecycleConfiguration");
      Instant date = Instant.parse("2031-01-01T00:00:00Z");
      s3.putBucketLifecycleConfiguration(
          b ->
              b.bucket(bucket)
                  .lifecycleConfiguration(
                      BucketLifecycleConfiguration.builder()
                          .rules(
                              LifecycleRule.builder()
                                  .id("logs")
                                  .status(ExpirationStatus.ENABLED)
                                  .filter(f -> f.prefix("logs/"))
                                  .expiration(e -> e.days(30))
                                  .noncurrentVersionExpiration(
                                      n -> n.noncurrentDays(7).newerNoncurrentVersions(3))
                                  .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2))
                                  .build(),
                              LifecycleRule.builder()
                                  .id("cold")
                                  .status(ExpirationStatus.DISABLED)
                                  .filter(
                                      f ->
                                          f.and(
                                              a ->
                                                  a.prefix("data/")
                                                      .tags(
                                                          Tag.builder()
                                                              .key("tier")
                                                              .value("cold")
                                                              .build())))
                                  .expiration(e -> e.date(date))
                                  .build(),
                              LifecycleRule.builder()
                                  .id("markers")
                                  .status(ExpirationStatus.ENABLED)
                                  .filter(f -> f.tag(t -> t.key("a").value("b")))
                                  .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
                                  .build(),
                              LifecycleRule.builder()
                                  .id("dm")
                                  .status(ExpirationStatus.ENABLED)
                                  .filter(f -> f.prefix(""))
                                  .expiration(e -> e.expiredObjectDeleteMarker(true))
                                  .build())
                          .build()));
      List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
      assertThat(rules)
          .extracting(LifecycleRule::id)
          .containsExactly("logs", "cold", "markers", "dm");
      LifecycleRule logs = rules.get(0);
      assertThat(logs.status()).isEqualTo(ExpirationStatus.ENABLED);
      assertThat(logs.filter().prefix()).isEqualTo("logs/");
      assertThat(logs.expiration().days()).isEqualTo(30);
      assertThat(logs.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(7);
      assertThat(logs.noncurrentVersionExpiration().newerNoncurrentVersions()).isEqualTo(3);
      assertThat(logs.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(2);
      LifecycleRule cold = rules.get(1);
      assertThat(cold.status()).isEqualTo(ExpirationStatus.DISABLED);
      assertThat(cold.filter().and().prefix()).isEqualTo("data/");
      assertThat(cold.filter().and().tags()).extracting(Tag::key).containsExactly("tier");
      assertThat(cold.expiration().date()).isEqualTo(date);
      assertThat(rules.get(2).filter().tag().key()).isEqualTo("a");
      assertThat(rules.get(3).expiration().expiredObjectDeleteMarker()).isTrue();

      assertS3Error(
          () ->
              putRule(
                  s3,
                  bucket,
                  LifecycleRule.builder()
                      .id("zero")
                      .status("Enabled")
                      .filter(f -> f.prefix(""))
                      .expiration(e -> e.days(0))
                      .build()),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              putRule(
                  s3,
                  bucket,
                  LifecycleRule.builder()
                      .id("status")
                      .status("Maybe")
                      .filter(f -> f.prefix(""))
                      .expiration(e -> e.days(1))
                      .build()),
          400,
          "MalformedXML");
      assertS3Error(
          () ->
              putRule(
                  s3,
                  bucket,
                  LifecycleRule.builder()
                      .id("none")
                      .status("Enabled")
                      .filter(f -> f.prefix(""))
                      .build()),
          400,
          "InvalidRequest");
      assertS3Error(
          () ->
              putRule(
                  s3,
                  bucket,
                  LifecycleRule.builder()
                      .id("noon")
                      .status("Enabled")
                      .filter(f -> f.prefix(""))
                      .expiration(e -> e.date(Instant.parse("2031-01-01T12:00:00Z")))
                      .build()),
          400,
          "InvalidArgument");
      assertS3Error(
          () ->
              putRule(
                  s3,
                  bucket,
                  LifecycleRule.builder()
                      .id("glacier")
                      .status("Enabled")
                      .filter(f -> f.prefix(""))
                      .transitions(t -> t.days(1).storageClass("GLACIER"))
                      .build()),
          501,
          "NotImplemented");
      // The earlier configuration is still there after the refused ones.
      assertThat(s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules()).hasSize(4);
      s3.deleteBucketLifecycle(b -> b.bucket(bucket));
      assertS3Error(
          () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)),
          404,
          "NoSuchLifecycleConfiguration");
    }
  }

  /**
   * x-amz-acl on object writes: the canned ACLs that change nothing (the bucket owner has full
   * control of every object) are accepted, S3's others and grant headers are 501 NotImplemented and
   * write nothing, an unknown one is 400 InvalidArgument.
   */
  @Test
  void objectWritesTakeTheCannedAclsThatChangeNothing() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("oacl");
      s3.createBucket(b -> b.bucket(bucket));
      for (ObjectCannedACL acl :
          List.of(
              ObjectCannedACL.PRIVATE,
              ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL,
              ObjectCannedACL.BUCKET_OWNER_READ)) {
        s3.putObject(b -> b.bucket(bucket).key("k").acl(acl), RequestBody.fromString("x"));
        s3.abortMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key("m")
                    .uploadId(
                        s3.createMultipartUpload(c -> c.bucket(bucket).key("m").acl(acl))
                            .uploadId()));
        s3.copyObject(
            b ->
                b.sourceBucket(bucket)
                    .sourceKey("k")
                    .destinationBucket(bucket)
                    .destinationKey("c")
                    .acl(acl));
        s3.putObjectAcl(b -> b.bucket(bucket).key("k").acl(acl));
      }
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("pub").acl(ObjectCannedACL.PUBLIC_READ),
                  RequestBody.fromString("x")),
          501,
          "NotImplemented");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("pub")), 404, null);
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("pub").grantRead("uri=" + ALL_USERS),
                  RequestBody.fromString("x")),
          501,
          "NotImplemented");
      assertS3Error(
          () ->
              s3.putObject(
                  b -> b.bucket(bucket).key("pub").acl("no-such-acl"), RequestBody.fromString("x")),
          400,
          "InvalidArgument");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("pub")), 404, null);
      assertS3Error(
          () ->
              s3.createMultipartUpload(
                  b -> b.bucket(bucket).key("m").acl(ObjectCannedACL.AUTHENTICATED_READ)),
          501,
          "NotImplemented");
      assertS3Error(
          () -> s3.createMultipartUpload(b -> b.bucket(bucket).key("m").grantFullControl("id=x")),
          501,
          "NotImplemented");
      assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("pub")
                          .acl(ObjectCannedACL.PUBLIC_READ_WRITE)),
          501,
          "NotImplemented");
      assertS3Error(
          () ->
              s3.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket)
                          .destinationKey("pub")
                          .acl("bogus")),
          400,
          "InvalidArgument");
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("pub")), 404, null);
      assertS3Error(
          () -> s3.createBucket(b -> b.bucket(bucketName("badacl")).acl("bogus")),
          400,
          "InvalidArgument");
    }
  }

  /**
   * Grant headers on CreateBucket are 501 NotImplemented and create no bucket; asking for no Object
   * Lock is an ordinary CreateBucket (ObjectLockIT has the rest).
   */
  @Test
  void createBucketWithGrantsIsNotImplemented() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("lock");
      assertS3Error(
          () -> s3.createBucket(b -> b.bucket(bucket).grantRead("id=someone")),
          501,
          "NotImplemented");
      assertS3Error(() -> s3.headBucket(b -> b.bucket(bucket)), 404, null);
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(false));
      s3.headBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * x-amz-expiration on PUT, HEAD, GET, CopyObject and CompleteMultipartUpload of an object an
   * enabled Expiration rule selects: the expiry (Last-Modified plus the days, rounded up to the
   * next midnight UTC) and the rule's id; none for objects no rule selects.
   */
  @Test
  void objectsThatALifecycleRuleExpiresSayWhen() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("expiration-header");
      s3.createBucket(b -> b.bucket(bucket));
      putRule(
          s3,
          bucket,
          LifecycleRule.builder()
              .id("logs-30d")
              .status(ExpirationStatus.ENABLED)
              .filter(f -> f.prefix("logs/"))
              .expiration(e -> e.days(30))
              .build());
      var put = s3.putObject(b -> b.bucket(bucket).key("logs/a"), RequestBody.fromString("x"));
      var head = s3.headObject(b -> b.bucket(bucket).key("logs/a"));
      Instant due =
          head.lastModified()
              .plus(java.time.Duration.ofDays(31))
              .truncatedTo(java.time.temporal.ChronoUnit.DAYS);
      String expected =
          "expiry-date=\""
              + java.time.format.DateTimeFormatter.ofPattern(
                      "EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US)
                  .format(due.atZone(java.time.ZoneOffset.UTC))
              + "\", rule-id=\"logs-30d\"";
      assertThat(put.expiration()).isEqualTo(expected);
      assertThat(head.expiration()).isEqualTo(expected);
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("logs/a")).response().expiration())
          .isEqualTo(expected);
      assertThat(
              s3.copyObject(
                      b ->
                          b.sourceBucket(bucket)
                              .sourceKey("logs/a")
                              .destinationBucket(bucket)
                              .destinationKey("logs/b"))
                  .expiration())
          .startsWith("expiry-date=")
          .endsWith("rule-id=\"logs-30d\"");
      String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("logs/mp")).uploadId();
      String etag =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("logs/mp").uploadId(upload).partNumber(1),
                  RequestBody.fromString("part"))
              .eTag();
      assertThat(
              s3.completeMultipartUpload(
                      b ->
                          b.bucket(bucket)
                              .key("logs/mp")
                              .uploadId(upload)
                              .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))))
                  .expiration())
          .endsWith("rule-id=\"logs-30d\"");
      assertThat(
              s3.putObject(b -> b.bucket(bucket).key("other"), RequestBody.fromString("x"))
                  .expiration())
          .isNull();
      assertThat(s3.headObject(b -> b.bucket(bucket).key("other")).expiration()).isNull();
    }
  }

  private static void putRule(S3Client s3, String bucket, LifecycleRule rule) {
    s3.putBucketLifecycleConfiguration(
        b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rule)));
  }

  /** Every bucket reports SSE-S3 (AES256), takes it back, refuses KMS; delete leaves it. */
  @Test
  void bucketEncryptionIsAlwaysAes256() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("encr");
      s3.createBucket(b -> b.bucket(bucket));
      var rule =
          s3.getBucketEncryption(b -> b.bucket(bucket))
              .serverSideEncryptionConfiguration()
              .rules()
              .get(0);
      assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
          .isEqualTo("AES256");
      assertThat(rule.bucketKeyEnabled()).isFalse();
      s3.putBucketEncryption(
          b ->
              b.bucket(bucket)
                  .serverSideEncryptionConfiguration(
                      c ->
                          c.rules(
                              r ->
                                  r.applyServerSideEncryptionByDefault(
                                      d ->
                                          d.sseAlgorithm(
                                              software.amazon.awssdk.services.s3.model
                                                  .ServerSideEncryption.AES256)))));
      assertS3Error(
          () ->
              s3.putBucketEncryption(
                  b ->
                      b.bucket(bucket)
                          .serverSideEncryptionConfiguration(
                              c ->
                                  c.rules(
                                      r ->
                                          r.applyServerSideEncryptionByDefault(
                                              d ->
                                                  d.sseAlgorithm(
                                                          software.amazon.awssdk.services.s3.model
                                                              .ServerSideEncryption.AWS_KMS)
                                                      .kmsMasterKeyID("k"))))),
          501,
          "NotImplemented");
      s3.deleteBucketEncryption(b -> b.bucket(bucket));
      assertThat(
              s3.getBucketEncryption(b -> b.bucket(bucket))
                  .serverSideEncryptionConfiguration()
                  .rules())
          .hasSize(1);
      assertS3Error(
          () -> s3.getBucketEncryption(b -> b.bucket("no-such-bucket-encr")), 404, "NoSuchBucket");
    }
  }

  /**
   * The configurations memo-s3 has none of read as S3 reads them for a bucket without them (what
   * Terraform and s3cmd info ask for); setting one is 501, but for what memo-s3 does anyway.
   */
  @Test
  void absentConfigurationsReadAsUnset() {
    try (S3Client s3 = server.client(true)) {
      String bucket = bucketName("absent");
      s3.createBucket(b -> b.bucket(bucket));
      assertThat(s3.getBucketAccelerateConfiguration(b -> b.bucket(bucket)).status()).isNull();
      assertThat(s3.getBucketRequestPayment(b -> b.bucket(bucket)).payerAsString())
          .isEqualTo("BucketOwner");
      assertThat(s3.getBucketLogging(b -> b.bucket(bucket)).loggingEnabled()).isNull();
      var n = s3.getBucketNotificationConfiguration(b -> b.bucket(bucket));
      assertThat(n.topicConfigurations()).isEmpty();
      assertThat(n.queueConfigurations()).isEmpty();
      assertS3Error(
          () -> s3.getBucketWebsite(b -> b.bucket(bucket)), 404, "NoSuchWebsiteConfiguration");
      assertS3Error(
          () -> s3.getBucketReplication(b -> b.bucket(bucket)),
          404,
          "ReplicationConfigurationNotFoundError");
      assertS3Error(
          () -> s3.getObjectLockConfiguration(b -> b.bucket(bucket)),
          404,
          "ObjectLockConfigurationNotFoundError");
      assertS3Error(
          () -> s3.getPublicAccessBlock(b -> b.bucket(bucket)),
          404,
          "NoSuchPublicAccessBlockConfiguration");
      assertS3Error(
          () -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)),
          404,
          "OwnershipControlsNotFoundError");
      // The policy status is the bucket policy's: none is 404, as on S3.
      assertS3Error(
          () -> s3.getBucketPolicyStatus(b -> b.bucket(bucket)), 404, "NoSuchBucketPolicy");
      s3.putBucketPolicy(
          b ->
              b.bucket(bucket)
                  .policy(
                      "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                          + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
                          + bucket
                          + "/*\"}]}"));
      assertThat(s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic())
          .isTrue();
      s3.deleteBucketPolicy(b -> b.bucket(bucket));

      s3.putBucketRequestPayment(
          b -> b.bucket(bucket).requestPaymentConfiguration(c -> c.payer("BucketOwner")));
      assertS3Error(
          () ->
              s3.putBucketRequestPayment(
                  b -> b.bucket(bucket).requestPaymentConfiguration(c -> c.payer("Requester"))),
          501,
          "NotImplemented");
      s3.putBucketNotificationConfiguration(
          b -> b.bucket(bucket).notificationConfiguration(c -> c.topicConfigurations(List.of())));
      assertS3Error(
          () ->
              s3.putBucketWebsite(
                  b ->
                      b.bucket(bucket)
                          .websiteConfiguration(w -> w.indexDocument(d -> d.suffix("index.html")))),
          501,
          "NotImplemented");
      s3.deleteBucketWebsite(b -> b.bucket(bucket));
      // Logging off is what memo-s3 does anyway; turning it on is not.
      s3.putBucketLogging(
          b ->
              b.bucket(bucket)
                  .bucketLoggingStatus(
                      l ->
                          l.loggingEnabled(
                              (software.amazon.awssdk.services.s3.model.LoggingEnabled) null)));
      assertS3Error(
          () ->
              s3.putBucketLogging(
                  b ->
                      b.bucket(bucket)
                          .bucketLoggingStatus(
                              l ->
                                  l.loggingEnabled(
                                      e -> e.targetBucket(bucket).targetPrefix("log/")))),
          501,
          "NotImplemented");
    }
  }
}
