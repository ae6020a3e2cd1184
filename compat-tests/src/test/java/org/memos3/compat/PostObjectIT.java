package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Browser-form uploads (POST Object) signed as browsers get them from a server: a SigV4 signature
 * over a base64 policy, computed here from the AWS documentation (the Java SDK has no POST signer;
 * boto3's generate_presigned_post is run by the client scenarios). Every refusal writes nothing.
 */
class PostObjectIT {
  static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  static TestServer server;
  static String bucket;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    bucket = bucketName("post");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  /** A form and how to sign it; fields are sent in order, the file last. */
  static final class Form {
    final Map<String, String> fields = new LinkedHashMap<>();
    final List<String> conditions = new ArrayList<>();
    Instant expiration = Instant.now().plusSeconds(600);
    String accessKey = TestServer.ACCESS_KEY;
    String secret = TestServer.SECRET_KEY;
    String region = "us-east-1";
    String filename = "photo.jpg";
    String rawPolicy;
    String toBucket = bucket;

    Form field(String name, String value) {
      fields.put(name, value);
      return this;
    }

    /** Adds the field and an exact-match condition for it. */
    Form signed(String name, String value) {
      field(name, value);
      conditions.add("{\"" + name + "\": \"" + value + "\"}");
      return this;
    }

    Form condition(String json) {
      conditions.add(json);
      return this;
    }

    /** Adds policy, credential, date, algorithm and signature fields. */
    Form sign() throws Exception {
      Instant now = Instant.now();
      String date = AMZ_DATE.format(now);
      String credential =
          accessKey + "/" + date.substring(0, 8) + "/" + region + "/s3/aws4_request";
      List<String> all = new ArrayList<>(conditions);
      all.add("{\"bucket\": \"" + toBucket + "\"}");
      all.add("{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}");
      all.add("{\"x-amz-credential\": \"" + credential + "\"}");
      all.add("{\"x-amz-date\": \"" + date + "\"}");
      String policy =
          "{\"expiration\": \""
              + expiration
              + "\", \"conditions\": ["
              + String.join(", ", all)
              + "]}";
      String b64 =
          Base64.getEncoder()
              .encodeToString(
                  (rawPolicy == null ? policy : rawPolicy).getBytes(StandardCharsets.UTF_8));
      byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
      k = hmac(k, region);
      k = hmac(k, "s3");
      k = hmac(k, "aws4_request");
      fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
      fields.put("x-amz-credential", credential);
      fields.put("x-amz-date", date);
      fields.put("policy", b64);
      fields.put("x-amz-signature", HexFormat.of().formatHex(hmac(k, b64)));
      return this;
    }

    /** The body: every field, then the file part with {@code content}. */
    InputStream body(String boundary, InputStream content) {
      StringBuilder head = new StringBuilder();
      fields.forEach(
          (n, v) ->
              head.append("--")
                  .append(boundary)
                  .append("\r\nContent-Disposition: form-data; name=\"")
                  .append(n)
                  .append("\"\r\n\r\n")
                  .append(v)
                  .append("\r\n"));
      head.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
          .append(filename)
          .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
      String tail = "\r\n--" + boundary + "--\r\n";
      return new SequenceInputStream(
          new SequenceInputStream(
              new java.io.ByteArrayInputStream(head.toString().getBytes(StandardCharsets.UTF_8)),
              content),
          new java.io.ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> post(byte[] content) throws Exception {
      return post(new java.io.ByteArrayInputStream(content), true);
    }

    /** POSTs the form; with {@code sized} false the body goes chunked, its length unknown. */
    HttpResponse<String> post(InputStream content, boolean sized) throws Exception {
      String boundary = "----memoFormBoundary7MA4YWxkTrZu0gW";
      HttpRequest.BodyPublisher publisher;
      if (sized) {
        publisher = HttpRequest.BodyPublishers.ofByteArray(body(boundary, content).readAllBytes());
      } else {
        publisher = HttpRequest.BodyPublishers.ofInputStream(() -> body(boundary, content));
      }
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + bucket))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .header("Origin", "https://app.example")
              .POST(publisher)
              .build();
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }
  }

  static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains("<Code>" + code + "</Code>");
  }

  void assertAbsent(String key) {
    try (S3Client s3 = server.client(true)) {
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key(key)), 404, null);
    }
  }

  @Test
  void aSignedFormStoresTheObjectWithItsFields() throws Exception {
    byte[] content = "a photo, as a browser sends it".getBytes(StandardCharsets.UTF_8);
    String tagging =
        "<Tagging><TagSet><Tag><Key>album</Key><Value>summer</Value></Tag></TagSet></Tagging>";
    HttpResponse<String> r =
        new Form()
            .condition("[\"starts-with\", \"$key\", \"uploads/\"]")
            .field("key", "uploads/one.jpg")
            .signed("Content-Type", "image/jpeg")
            .signed("x-amz-meta-camera", "pinhole")
            .signed("success_action_status", "201")
            .signed("tagging", tagging)
            .condition("[\"content-length-range\", 1, 1048576]")
            .sign()
            .post(content);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String etag = "\"" + md5(content) + "\"";
    assertThat(r.headers().firstValue("ETag")).hasValue(etag);
    assertThat(r.body())
        .contains("<PostResponse>")
        .contains("<Bucket>" + bucket + "</Bucket>")
        .contains("<Key>uploads/one.jpg</Key>")
        .contains("<ETag>\"" + md5(content) + "\"</ETag>")
        .contains("<Location>http://");
    try (S3Client s3 = server.client(true)) {
      ResponseBytes<GetObjectResponse> got =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key("uploads/one.jpg"));
      assertThat(got.asByteArray()).isEqualTo(content);
      assertThat(got.response().contentType()).isEqualTo("image/jpeg");
      assertThat(got.response().metadata()).containsEntry("camera", "pinhole");
      assertThat(got.response().eTag()).isEqualTo(etag);
      assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("uploads/one.jpg")).tagSet())
          .extracting(Tag::key, Tag::value)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("album", "summer"));
    }
  }

  @Test
  void filenameIsPutInTheKeyAndTheDefaultAnswerIs204() throws Exception {
    Form f = new Form().condition("[\"starts-with\", \"$key\", \"by-name/\"]");
    f.field("key", "by-name/${filename}").filename = "holiday.png";
    HttpResponse<String> r = f.sign().post(new byte[] {1, 2, 3});
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("Location").orElseThrow())
        .endsWith("/" + bucket + "/by-name/holiday.png");
    try (S3Client s3 = server.client(true)) {
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket(bucket).key("by-name/holiday.png")).asByteArray())
          .containsExactly(1, 2, 3);
      // No Content-Type field: S3's default, not the file part's type.
      assertThat(s3.headObject(b -> b.bucket(bucket).key("by-name/holiday.png")).contentType())
          .isEqualTo("binary/octet-stream");
    }
  }

  @Test
  void aRedirectGets303WithBucketKeyAndEtag() throws Exception {
    HttpResponse<String> r =
        new Form()
            .signed("key", "redirected")
            .signed("success_action_redirect", "https://app.example/done?from=form#top")
            .sign()
            .post("r".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location").orElseThrow())
        .isEqualTo(
            "https://app.example/done?from=form&bucket="
                + bucket
                + "&key=redirected&etag=%22"
                + md5("r".getBytes(StandardCharsets.UTF_8))
                + "%22#top");
  }

  @Test
  void aLargeFileStreamsThroughWithItsLengthUnknown() throws Exception {
    long size = 24L * 1024 * 1024 + 17;
    HttpResponse<String> r =
        new Form().signed("key", "large.bin").sign().post(GeneratedBody.range(7, 0, size), false);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    MessageDigest md = MessageDigest.getInstance("MD5");
    try (InputStream in = GeneratedBody.range(7, 0, size)) {
      byte[] b = new byte[1 << 16];
      for (int n; (n = in.read(b)) > 0; ) {
        md.update(b, 0, n);
      }
    }
    String expected = HexFormat.of().formatHex(md.digest());
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + expected + "\"");
    try (S3Client s3 = server.client(true);
        InputStream got = s3.getObject(b -> b.bucket(bucket).key("large.bin"))) {
      MessageDigest back = MessageDigest.getInstance("MD5");
      byte[] b = new byte[1 << 16];
      long total = 0;
      for (int n; (n = got.read(b)) > 0; ) {
        back.update(b, 0, n);
        total += n;
      }
      assertThat(total).isEqualTo(size);
      assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(expected);
    }
  }

  @Test
  void policyRefusalsWriteNothing() throws Exception {
    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
    Form expired = new Form().signed("key", "expired");
    expired.expiration = Instant.now().minusSeconds(5);
    HttpResponse<String> r = expired.sign().post(x);
    assertError(r, 403, "AccessDenied");
    assertThat(r.body()).contains("Invalid according to Policy: Policy expired.");
    assertAbsent("expired");

    r =
        new Form()
            .condition("[\"starts-with\", \"$key\", \"uploads/\"]")
            .field("key", "elsewhere/file")
            .sign()
            .post(x);
    assertError(r, 403, "AccessDenied");
    assertThat(r.body())
        .contains("Policy Condition failed: [\"starts-with\",\"$key\",\"uploads/\"]");
    assertAbsent("elsewhere/file");

    r = new Form().signed("key", "extra").field("x-amz-meta-sneaky", "1").sign().post(x);
    assertError(r, 403, "AccessDenied");
    assertThat(r.body()).contains("Extra input fields: x-amz-meta-sneaky");
    assertAbsent("extra");

    // x-ignore- fields need no condition.
    r = new Form().signed("key", "ignored").field("x-ignore-tracking", "1").sign().post(x);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

    r =
        new Form()
            .signed("key", "too-big")
            .condition("[\"content-length-range\", 0, 10]")
            .sign()
            .post(new byte[11]);
    assertError(r, 400, "EntityTooLarge");
    assertAbsent("too-big");

    r =
        new Form()
            .signed("key", "too-small")
            .condition("[\"content-length-range\", 5, 10]")
            .sign()
            .post(new byte[4]);
    assertError(r, 400, "EntityTooSmall");
    assertAbsent("too-small");
  }

  @Test
  void badSignaturesAndFormsGetS3sErrors() throws Exception {
    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
    Form wrongSecret = new Form().signed("key", "bad-sig");
    wrongSecret.secret = "not/the/secret";
    assertError(wrongSecret.sign().post(x), 403, "SignatureDoesNotMatch");
    assertAbsent("bad-sig");

    Form unknownKey = new Form().signed("key", "bad-key");
    unknownKey.accessKey = "NOSUCHACCESSKEY00001";
    assertError(unknownKey.sign().post(x), 403, "InvalidAccessKeyId");

    // No policy and no signature: anonymous, and no bucket takes anonymous writes.
    assertError(new Form().field("key", "anonymous").post(x), 403, "AccessDenied");
    assertAbsent("anonymous");

    assertError(new Form().sign().post(x), 400, "InvalidArgument"); // no key field

    Form badPolicy = new Form().signed("key", "bad-policy");
    badPolicy.rawPolicy = "{not json";
    assertError(badPolicy.sign().post(x), 400, "InvalidPolicyDocument");
    assertAbsent("bad-policy");
    Form noExpiration = new Form().signed("key", "bad-policy");
    noExpiration.rawPolicy = "{\"conditions\": []}";
    HttpResponse<String> r = noExpiration.sign().post(x);
    assertError(r, 400, "InvalidPolicyDocument");
    assertThat(r.body()).contains("Policy missing expiration");

    // A form without a file part, and one cut before its closing boundary.
    Form noFile = new Form().signed("key", "no-file").sign();
    String boundary = "b0undary";
    StringBuilder body = new StringBuilder();
    noFile.fields.forEach(
        (n, v) ->
            body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(n)
                .append("\"\r\n\r\n")
                .append(v)
                .append("\r\n"));
    assertError(
        raw(boundary, body + "--" + boundary + "--\r\n"),
        400,
        "IncorrectNumberOfFilesInPostRequest");
    String cut =
        body
            + "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nno end";
    assertError(raw(boundary, cut), 400, "MalformedPOSTRequest");
    assertAbsent("no-file");

    // A bucket that does not exist.
    assertError(
        raw("no-such-bucket-post", boundary, body + "--" + boundary + "--\r\n"),
        404,
        "NoSuchBucket");
  }

  /**
   * Field values become headers as a PUT's would: control characters are refused (a GET could not
   * send them back), other bytes are kept as sent (UTF-8 comes back byte for byte).
   */
  @Test
  void fieldValuesAreHeaderSafe() throws Exception {
    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        new Form()
            .signed("key", "multi-line")
            .condition("[\"starts-with\", \"$x-amz-meta-note\", \"\"]")
            .field("x-amz-meta-note", "line one\r\nline two")
            .sign()
            .post(x);
    assertError(r, 400, "InvalidArgument");
    assertAbsent("multi-line");

    r = new Form().signed("key", "utf8").signed("x-amz-meta-city", "Zürich 中").sign().post(x);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    try (S3Client s3 = server.client(true)) {
      String got = s3.headObject(b -> b.bucket(bucket).key("utf8")).metadata().get("city");
      assertThat(got.getBytes(StandardCharsets.ISO_8859_1))
          .isEqualTo("Zürich 中".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** What comes before the file (preamble, boundaries, headers, fields) is held to 20 KiB. */
  @Test
  void tooMuchBeforeTheFileIsRefused() throws Exception {
    String boundary = "pre";
    String file = "--pre\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--pre--\r\n";
    assertError(
        raw(boundary, "p".repeat(300_000) + "\r\n" + file),
        400,
        "MaxPostPreDataLengthExceededError");
    StringBuilder empty = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      empty.append("--pre\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n\r\n");
    }
    assertError(raw(boundary, empty + file), 400, "MaxPostPreDataLengthExceededError");
    // A long name, then a value that fills what is left, then another field: still 400, not 500.
    String field =
        "--pre\r\nContent-Disposition: form-data; name=\""
            + "n".repeat(100)
            + "\"\r\n\r\n"
            + "v".repeat(20_400)
            + "\r\n--pre\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nb\r\n";
    assertError(raw(boundary, field + file), 400, "MaxPostPreDataLengthExceededError");
  }

  /** A form cut right after its file's delimiter stores nothing. */
  @Test
  void aFormEndingAtItsFilesDelimiterStoresNothing() throws Exception {
    Form f = new Form().signed("key", "cut-after-file").sign();
    byte[] body =
        f.body("cutb", new java.io.ByteArrayInputStream(new byte[] {1, 2})).readAllBytes();
    String whole = new String(body, StandardCharsets.ISO_8859_1);
    String cut = whole.substring(0, whole.lastIndexOf("\r\n--cutb") + "\r\n--cutb".length());
    assertError(raw("cutb", cut), 400, "MalformedPOSTRequest");
    assertAbsent("cut-after-file");
  }

  @Test
  void aChecksumFieldIsVerifiedAndEchoed() throws Exception {
    byte[] content = "checked".getBytes(StandardCharsets.UTF_8);
    String sha =
        Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
    HttpResponse<String> r =
        new Form()
            .signed("key", "checked")
            .signed("x-amz-checksum-sha256", sha)
            .sign()
            .post(content);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("x-amz-checksum-sha256")).hasValue(sha);
    r =
        new Form()
            .signed("key", "wrong-sum")
            .signed("x-amz-checksum-sha256", sha)
            .sign()
            .post("other".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertAbsent("wrong-sum");
  }

  /** SSE-C fields are a write's headers too: the object is then read with that key only. */
  @Test
  void aFormWithACustomerKey() throws Exception {
    byte[] k = new byte[32];
    new java.util.Random(11).nextBytes(k);
    String key64 = Base64.getEncoder().encodeToString(k);
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(k));
    byte[] content = "a form under a client's key".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = server.client(true)) {
      SseCustomerIT.allowSseC(s3, bucket);
    }
    HttpResponse<String> r =
        new Form()
            .signed("key", "keyed-form")
            .signed("x-amz-server-side-encryption-customer-algorithm", "AES256")
            .signed("x-amz-server-side-encryption-customer-key", key64)
            .signed("x-amz-server-side-encryption-customer-key-MD5", md5)
            .sign()
            .post(content);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("x-amz-server-side-encryption-customer-key-MD5"))
        .hasValue(md5);
    try (S3Client s3 = server.client(true)) {
      assertS3Error(
          () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("keyed-form")),
          400,
          "InvalidRequest");
      assertThat(
              s3.getObjectAsBytes(
                      b ->
                          b.bucket(bucket)
                              .key("keyed-form")
                              .sseCustomerAlgorithm("AES256")
                              .sseCustomerKey(key64)
                              .sseCustomerKeyMD5(md5))
                  .asByteArray())
          .isEqualTo(content);
    }
  }

  /** Object Lock fields are a write's headers: on a bucket without Object Lock, S3's 400. */
  @Test
  void anObjectLockFieldNeedsAnObjectLockBucket() throws Exception {
    HttpResponse<String> r =
        new Form()
            .signed("key", "held")
            .signed("x-amz-object-lock-legal-hold", "ON")
            .sign()
            .post(new byte[] {1});
    assertError(r, 400, "InvalidRequest");
    assertAbsent("held");
  }

  @Test
  void anotherUsersFormIsRefused() throws Exception {
    var key = server.createUser("post-stranger");
    Form f = new Form().signed("key", "stranger");
    f.accessKey = key.accessKeyId();
    f.secret = key.secretAccessKey();
    assertError(f.sign().post(new byte[] {1}), 403, "AccessDenied");
    assertAbsent("stranger");
  }

  @Test
  void aCrossOriginPostGetsTheBucketsCorsHeaders() throws Exception {
    String corsBucket = bucketName("postcors");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(corsBucket));
      s3.putBucketCors(
          b ->
              b.bucket(corsBucket)
                  .corsConfiguration(
                      c ->
                          c.corsRules(
                              CORSRule.builder()
                                  .allowedOrigins("https://app.example")
                                  .allowedMethods("POST")
                                  .build())));
    }
    String saved = bucket;
    try {
      bucket = corsBucket;
      HttpResponse<String> r = new Form().signed("key", "cors").sign().post(new byte[] {1});
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://app.example");
    } finally {
      bucket = saved;
    }
  }

  private HttpResponse<String> raw(String boundary, String body) throws Exception {
    return raw(bucket, boundary, body);
  }

  private HttpResponse<String> raw(String toBucket, String boundary, String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + toBucket))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
