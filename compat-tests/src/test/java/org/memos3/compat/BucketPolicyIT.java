package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.AccessIT.assertS3Error;
import static org.memos3.compat.AccessIT.denied;
import static org.memos3.compat.AccessIT.get;
import static org.memos3.compat.AccessIT.put;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.memos3.kv.bucket.Permission;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Bucket policies through the SDK: a public-read prefix for anonymous requests, read-only access
 * for another user, a Deny over what a grant allows, per-key decisions in DeleteObjects, and S3's
 * answers to policies memo-s3 refuses.
 */
class BucketPolicyIT {
  static TestServer server;
  static S3Client root;
  static final HttpClient HTTP = HttpClient.newHttpClient();

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

  static int anonymousGet(String bucket, String keyOrQuery) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + bucket + keyOrQuery))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static void putPolicy(S3Client s3, String bucket, String json) {
    s3.putBucketPolicy(b -> b.bucket(bucket).policy(json));
  }

  @Test
  void aPublicPrefixAndItsListing() throws Exception {
    String bucket = bucketName("pubpol");
    root.createBucket(b -> b.bucket(bucket));
    put(root, bucket, "public/a.txt", "a");
    put(root, bucket, "private/b.txt", "b");
    assertThat(anonymousGet(bucket, "/public/a.txt")).isEqualTo(403);
    assertS3Error(() -> root.getBucketPolicy(b -> b.bucket(bucket)), 404, "NoSuchBucketPolicy");
    // As `mc anonymous set download` writes it, narrowed to a prefix.
    String json =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]},"
            + "\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::"
            + bucket
            + "\"]},"
            + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::"
            + bucket
            + "/public/*\"}]}";
    putPolicy(root, bucket, json);
    assertThat(root.getBucketPolicy(b -> b.bucket(bucket)).policy()).isEqualTo(json);
    assertThat(anonymousGet(bucket, "/public/a.txt")).isEqualTo(200);
    assertThat(anonymousGet(bucket, "/private/b.txt")).isEqualTo(403);
    assertThat(anonymousGet(bucket, "?list-type=2")).isEqualTo(200);
    // Anonymous writes stay refused.
    int put =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + bucket + "/public/w"))
                    .PUT(HttpRequest.BodyPublishers.ofString("w"))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
    assertThat(put).isEqualTo(403);
    root.deleteBucketPolicy(b -> b.bucket(bucket));
    assertThat(anonymousGet(bucket, "/public/a.txt")).isEqualTo(403);
  }

  @Test
  void anotherUserReadsAndADenyOverridesAGrant() {
    String bucket = bucketName("userpol");
    root.createBucket(b -> b.bucket(bucket));
    put(root, bucket, "docs/one", "1");
    put(root, bucket, "keep/two", "2");
    String reader = "polreader-" + bucket.substring(bucket.length() - 8);
    String writer = "polwriter-" + bucket.substring(bucket.length() - 8);
    try (S3Client r = server.client(server.createUser(reader));
        S3Client w = server.client(server.createUser(writer))) {
      denied(() -> get(r, bucket, "docs/one"));
      server.gateway().node().users().allow(bucket, writer, Permission.WRITE);
      put(w, bucket, "keep/three", "3");
      putPolicy(
          root,
          bucket,
          "{\"Version\":\"2012-10-17\",\"Statement\":["
              + "{\"Sid\":\"read\",\"Effect\":\"Allow\","
              + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/"
              + reader
              + "\"},\"Action\":[\"s3:Get*\",\"s3:ListBucket\"],"
              + "\"Resource\":[\"arn:aws:s3:::"
              + bucket
              + "\",\"arn:aws:s3:::"
              + bucket
              + "/*\"]},"
              + "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\""
              + writer
              + "\"},\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::"
              + bucket
              + "/keep/*\"}]}");
      assertThat(get(r, bucket, "docs/one")).isEqualTo("1");
      assertThat(r.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isEqualTo(3);
      denied(() -> put(r, bucket, "docs/new", "x"));
      denied(() -> r.getBucketPolicy(b -> b.bucket(bucket))); // the owner's only
      // The writer's grant still writes, but the Deny keeps keep/ from deletion.
      put(w, bucket, "docs/four", "4");
      w.deleteObject(b -> b.bucket(bucket).key("docs/four"));
      denied(() -> w.deleteObject(b -> b.bucket(bucket).key("keep/two")));
      DeleteObjectsResponse many =
          w.deleteObjects(
              b ->
                  b.bucket(bucket)
                      .delete(
                          d ->
                              d.objects(
                                  ObjectIdentifier.builder().key("keep/three").build(),
                                  ObjectIdentifier.builder().key("docs/one").build())));
      assertThat(many.deleted()).extracting(x -> x.key()).containsExactly("docs/one");
      assertThat(many.errors())
          .extracting(x -> x.key() + ":" + x.code())
          .containsExactly("keep/three:AccessDenied");
      assertThat(get(root, bucket, "keep/three")).isEqualTo("3");
    }
  }

  /** GetObjectAttributes needs the object's read too: a Deny of s3:GetObject stops it. */
  @Test
  void attributesNeedTheObjectsReadAction() {
    String bucket = bucketName("attrpol");
    root.createBucket(b -> b.bucket(bucket));
    put(root, bucket, "secret/x", "x");
    String user = "attrreader-" + bucket.substring(bucket.length() - 8);
    try (S3Client r = server.client(server.createUser(user))) {
      server.gateway().node().users().allow(bucket, user, Permission.READ);
      putPolicy(
          root,
          bucket,
          "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\""
              + user
              + "\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
              + bucket
              + "/secret/*\"}]}");
      assertS3Error(() -> r.headObject(b -> b.bucket(bucket).key("secret/x")), 403, null);
      denied(
          () ->
              r.getObjectAttributes(
                  b ->
                      b.bucket(bucket)
                          .key("secret/x")
                          .objectAttributes(
                              software.amazon.awssdk.services.s3.model.ObjectAttributes
                                  .OBJECT_SIZE)));
    }
  }

  @Test
  void policiesMemoS3DoesNotTakeAreRefused() {
    String bucket = bucketName("badpol");
    root.createBucket(b -> b.bucket(bucket));
    String arn = "arn:aws:s3:::" + bucket + "/*";
    assertS3Error(() -> putPolicy(root, bucket, "not json"), 400, "MalformedPolicy");
    assertS3Error(
        () ->
            putPolicy(
                root,
                bucket,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                    + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other-bucket/*\"}]}"),
        400,
        "MalformedPolicy");
    assertS3Error(
        () ->
            putPolicy(
                root,
                bucket,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                    + "\"Action\":\"s3:GetObject\",\"Resource\":\""
                    + arn
                    + "\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}}]}"),
        501,
        "NotImplemented");
    assertS3Error(
        () ->
            putPolicy(
                root,
                bucket,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                    + "\"Action\":\"s3:PutObject\",\"Resource\":\""
                    + arn
                    + "\"}]}"),
        501,
        "NotImplemented");
    assertS3Error(() -> root.getBucketPolicy(b -> b.bucket(bucket)), 404, "NoSuchBucketPolicy");
  }

  /**
   * Conditions through the real server: the TLS-only Deny everyone copies refuses a user's requests
   * over plain HTTP (root, as an account's root, is not bound by bucket policies), an anonymous
   * read limited to the loopback network passes and one limited elsewhere does not, and the
   * home-directory policy confines a user to home/NAME/ by ${aws:username}.
   */
  @Test
  void conditionsAndVariables() throws Exception {
    String bucket = bucketName("condpol");
    root.createBucket(b -> b.bucket(bucket));
    put(root, bucket, "pub/a", "a");
    String user = "condpol-" + bucket.substring(bucket.length() - 8);
    try (S3Client u = server.client(server.createUser(user))) {
      server.gateway().node().users().allow(bucket, user, Permission.WRITE);
      put(u, bucket, "home/" + user + "/one", "1");
      String arn = "arn:aws:s3:::" + bucket;
      putPolicy(
          root,
          bucket,
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecureTransport\","
              + "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
              + "\"Resource\":[\""
              + arn
              + "\",\""
              + arn
              + "/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");
      denied(() -> get(u, bucket, "home/" + user + "/one"));
      denied(() -> put(u, bucket, "home/" + user + "/two", "2"));
      assertThat(get(root, bucket, "pub/a")).isEqualTo("a");

      putPolicy(
          root,
          bucket,
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
              + "\"Action\":\"s3:GetObject\",\"Resource\":\""
              + arn
              + "/pub/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":[\"127.0.0.0/8\",\"::1\"]}}}]}");
      assertThat(anonymousGet(bucket, "/pub/a")).isEqualTo(200);
      assertThat(root.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic())
          .isFalse();
      putPolicy(
          root,
          bucket,
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
              + "\"Action\":\"s3:GetObject\",\"Resource\":\""
              + arn
              + "/pub/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}]}");
      assertThat(anonymousGet(bucket, "/pub/a")).isEqualTo(403);

      // Home directories: the user's grant is taken away, the policy gives back home/NAME/.
      server.gateway().node().users().deny(bucket, user);
      putPolicy(
          root,
          bucket,
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
              + "\"Principal\":{\"AWS\":\""
              + user
              + "\"},\"Action\":\"s3:ListBucket\",\"Resource\":\""
              + arn
              + "\",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"home/${aws:username}/*\"}}},"
              + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
              + user
              + "\"},\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\""
              + arn
              + "/home/${aws:username}/*\"}]}");
      put(u, bucket, "home/" + user + "/two", "2");
      assertThat(get(u, bucket, "home/" + user + "/one")).isEqualTo("1");
      assertThat(u.listObjectsV2(b -> b.bucket(bucket).prefix("home/" + user + "/")).contents())
          .hasSize(2);
      denied(() -> u.listObjectsV2(b -> b.bucket(bucket).prefix("pub/")));
      denied(() -> u.listObjectsV2(b -> b.bucket(bucket)));
      denied(() -> get(u, bucket, "pub/a"));
      denied(() -> put(u, bucket, "home/someone-else/x", "x"));
    }
  }
}
