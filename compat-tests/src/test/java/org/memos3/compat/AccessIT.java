package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.memos3.kv.bucket.Permission;
import org.memos3.kv.user.UserKey;
import org.memos3.kv.user.Users;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Users, access keys, bucket grants and public buckets, with the AWS SDK v2 signing as different
 * users and a plain HTTP client for anonymous requests, against a real node.
 */
class AccessIT {
  static TestServer server;
  static S3Client root;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    root = server.client(true);
  }

  @AfterAll
  static void stop() {
    root.close();
    server.destroy();
  }

  static String name(String test) {
    return (test + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
  }

  static Users users() {
    return server.gateway().node().users();
  }

  static void assertS3Error(Executable call, int status, String code) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              }
            });
  }

  static void denied(Executable call) {
    assertS3Error(call, 403, "AccessDenied");
  }

  static String get(S3Client s3, String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  static void put(S3Client s3, String bucket, String key, String body) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
  }

  /** A user without grants is denied on root's bucket; read, then write grants open it up. */
  @Test
  void grantsOpenRootsBucketStepByStep() {
    String bucket = name("grants");
    String user = name("bob");
    root.createBucket(b -> b.bucket(bucket));
    put(root, bucket, "k", "hello");
    try (S3Client bob = server.client(server.createUser(user))) {
      denied(() -> get(bob, bucket, "k"));
      assertS3Error(() -> bob.headBucket(b -> b.bucket(bucket)), 403, null); // HEAD: no body
      denied(() -> bob.listObjectsV2(b -> b.bucket(bucket)));
      denied(() -> put(bob, bucket, "k2", "x"));
      assertThat(bob.listBuckets().buckets()).extracting(Bucket::name).doesNotContain(bucket);

      users().allow(bucket, user, Permission.READ);
      assertThat(get(bob, bucket, "k")).isEqualTo("hello");
      bob.headObject(b -> b.bucket(bucket).key("k"));
      assertThat(bob.listObjectsV2(b -> b.bucket(bucket)).contents()).hasSize(1);
      assertThat(bob.listBuckets().buckets()).extracting(Bucket::name).contains(bucket);
      denied(() -> put(bob, bucket, "k2", "x"));
      denied(() -> bob.deleteObject(b -> b.bucket(bucket).key("k")));
      denied(() -> bob.createMultipartUpload(b -> b.bucket(bucket).key("mp")));

      users().allow(bucket, user, Permission.WRITE);
      put(bob, bucket, "k2", "from bob");
      assertThat(get(root, bucket, "k2")).isEqualTo("from bob");
      bob.deleteObject(b -> b.bucket(bucket).key("k2"));
      bob.copyObject(
          b -> b.sourceBucket(bucket).sourceKey("k").destinationBucket(bucket).destinationKey("c"));
      bob.deleteObject(b -> b.bucket(bucket).key("c"));
      denied(
          () ->
              bob.putBucketVersioning(
                  b ->
                      b.bucket(bucket)
                          .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))));
      denied(() -> bob.deleteBucket(b -> b.bucket(bucket)));

      users().allow(bucket, user, Permission.OWNER);
      bob.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

      users().deny(bucket, user);
      denied(() -> get(bob, bucket, "k"));
    }
  }

  /** CreateBucket makes the caller the owner; others are denied, root may do everything. */
  @Test
  void creatorOwnsItsBucket() {
    String bucket = name("owned");
    String alice = name("alice");
    String carol = name("carol");
    try (S3Client a = server.client(server.createUser(alice));
        S3Client c = server.client(server.createUser(carol))) {
      a.createBucket(b -> b.bucket(bucket));
      put(a, bucket, "k", "alice's");
      assertThat(a.listBuckets().buckets()).extracting(Bucket::name).containsExactly(bucket);
      assertThat(c.listBuckets().buckets()).extracting(Bucket::name).doesNotContain(bucket);
      denied(() -> get(c, bucket, "k"));
      denied(() -> c.deleteBucket(b -> b.bucket(bucket)));
      // The copy source needs read access too.
      c.createBucket(b -> b.bucket(bucket + "-c"));
      denied(
          () ->
              c.copyObject(
                  b ->
                      b.sourceBucket(bucket)
                          .sourceKey("k")
                          .destinationBucket(bucket + "-c")
                          .destinationKey("stolen")));
      assertThat(get(root, bucket, "k")).isEqualTo("alice's");
      assertThat(root.listBuckets().buckets()).extracting(Bucket::name).contains(bucket);
      a.deleteObject(b -> b.bucket(bucket).key("k"));
      a.deleteBucket(b -> b.bucket(bucket));
      c.deleteBucket(b -> b.bucket(bucket + "-c"));
    }
  }

  /** A revoked key stops working within the credential cache's lifetime (2 s) on the node. */
  @Test
  void revokedKeyIsRefusedWithinSeconds() throws Exception {
    String user = name("dave");
    UserKey key = server.createUser(user);
    try (S3Client dave = server.client(key)) {
      dave.listBuckets();
      users().revoke(key.accessKeyId());
      long start = System.nanoTime();
      S3Exception refused = null;
      while (refused == null && System.nanoTime() - start < 10_000_000_000L) {
        try {
          dave.listBuckets();
          Thread.sleep(100);
        } catch (S3Exception e) {
          refused = e;
        }
      }
      assertThat(refused).as("revoked key still accepted after 10 s").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
    }
  }

  /** A deleted user's keys are refused; so is a key that never existed. */
  @Test
  void unknownAndDeletedKeysAreInvalid() throws Exception {
    try (S3Client ghost = server.client(true, "MEMUNOSUCHKEY0000000", "x".repeat(40))) {
      assertS3Error(ghost::listBuckets, 403, "InvalidAccessKeyId");
    }
    String user = name("erin");
    UserKey key = server.createUser(user);
    users().delete(user);
    try (S3Client erin = server.client(key)) {
      assertS3Error(erin::listBuckets, 403, "InvalidAccessKeyId");
    }
  }

  /** A public-read bucket answers anonymous GET, HEAD and listing, and nothing else. */
  @Test
  void publicBucketServesAnonymousReadsOnly() throws Exception {
    String bucket = name("public");
    root.createBucket(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
    put(root, bucket, "hello.txt", "hi there");
    String url = server.endpoint() + "/" + bucket;

    HttpResponse<String> got = anonymous("GET", url + "/hello.txt");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("hi there");
    assertThat(anonymous("HEAD", url + "/hello.txt").statusCode()).isEqualTo(200);
    HttpResponse<String> list = anonymous("GET", url + "?list-type=2");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("<Key>hello.txt</Key>");

    HttpResponse<String> putAnon =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/new.txt"))
                .PUT(HttpRequest.BodyPublishers.ofString("nope"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(putAnon.statusCode()).isEqualTo(403);
    assertThat(putAnon.body()).contains("<Code>AccessDenied</Code>");
    assertThat(anonymous("DELETE", url + "/hello.txt").statusCode()).isEqualTo(403);
    assertThat(anonymous("GET", url + "?versions").statusCode()).isEqualTo(403);
    assertThat(anonymous("GET", server.endpoint() + "/").statusCode()).isEqualTo(403);

    users().deny(bucket, "nobody"); // another change to the bucket record keeps the flag
    assertThat(anonymous("GET", url + "/hello.txt").statusCode()).isEqualTo(200);
    server.gateway().node().buckets().setPublicRead(bucket, false);
    HttpResponse<String> closed = anonymous("GET", url + "/hello.txt");
    assertThat(closed.statusCode()).isEqualTo(403);
    assertThat(closed.body()).contains("<Code>AccessDenied</Code>");
  }

  /** Anonymous reads of a private bucket are denied; unsupported canned ACLs are 501. */
  @Test
  void privateBucketsAndOtherCannedAcls() throws Exception {
    String bucket = name("private");
    root.createBucket(b -> b.bucket(bucket).acl(BucketCannedACL.PRIVATE));
    put(root, bucket, "k", "secret");
    assertThat(anonymous("GET", server.endpoint() + "/" + bucket + "/k").statusCode())
        .isEqualTo(403);
    assertThat(anonymous("GET", server.endpoint() + "/" + bucket).statusCode()).isEqualTo(403);
    assertS3Error(
        () ->
            root.createBucket(
                b -> b.bucket(name("authread")).acl(BucketCannedACL.AUTHENTICATED_READ)),
        501,
        "NotImplemented");
  }

  /**
   * An anonymous write to a bucket that does not exist is NoSuchBucket, as an anonymous read is; to
   * one that exists it stays AccessDenied, and an anonymous CreateBucket is AccessDenied (s3-tests:
   * test_object_raw_get_bucket_gone, test_object_delete_key_bucket_gone).
   */
  @Test
  void anonymousWritesToMissingBucketsAreNoSuchBucket() throws Exception {
    String missing = server.endpoint() + "/" + name("gone");
    for (String method : new String[] {"GET", "PUT", "DELETE"}) {
      HttpResponse<String> r = anonymous(method, missing + "/foo");
      assertThat(r.statusCode()).as(method).isEqualTo(404);
      assertThat(r.body()).as(method).contains("<Code>NoSuchBucket</Code>");
    }
    HttpResponse<String> deleteBucket = anonymous("DELETE", missing);
    assertThat(deleteBucket.statusCode()).isEqualTo(404);
    assertThat(deleteBucket.body()).contains("<Code>NoSuchBucket</Code>");
    HttpResponse<String> create = anonymous("PUT", missing);
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(create.body()).contains("<Code>AccessDenied</Code>");

    String bucket = name("there");
    root.createBucket(b -> b.bucket(bucket));
    put(root, bucket, "foo", "x");
    String url = server.endpoint() + "/" + bucket;
    for (String target : new String[] {url, url + "/foo", url + "/new"}) {
      for (String method : new String[] {"PUT", "DELETE"}) {
        HttpResponse<String> r = anonymous(method, target);
        assertThat(r.statusCode()).as(method + " " + target).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>");
      }
    }
    root.headBucket(b -> b.bucket(bucket));
    assertThat(root.getObjectAsBytes(b -> b.bucket(bucket).key("foo")).asUtf8String())
        .isEqualTo("x");
  }

  static HttpResponse<String> anonymous(String method, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
