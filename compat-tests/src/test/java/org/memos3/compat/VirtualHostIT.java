package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.http.conn.DnsResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Virtual-hosted-style addressing ({@code serve --domain}): the AWS SDK v2 with path style off, as
 * it talks to AWS, against a server process started with {@code --domain S3.Memo.Test --domain
 * storage.memo.test}. Names under {@code memo.test} resolve to 127.0.0.1 through the Apache
 * client's DNS resolver (nothing else is resolved, so nothing leaves the machine). Every request's
 * Host header is recorded to prove the bucket travelled in it. Also: presigned URLs with the bucket
 * in the host, path style through any host (the domain itself, an unknown name, the IP), a
 * virtual-hosted request to an unknown domain (taken as path style), and invalid bucket names in
 * the Host (400 InvalidBucketName, as AWS answers a request naming an invalid bucket).
 */
class VirtualHostIT {
  static final String DOMAIN = "s3.memo.test";
  static final String SECOND_DOMAIN = "storage.memo.test";

  static Path work;
  static ServerProcess server;
  static SdkHttpClient http;
  static final ConcurrentLinkedQueue<String> hosts = new ConcurrentLinkedQueue<>();

  /** Maps {@code memo.test} and every name under it to 127.0.0.1; refuses the rest. */
  static final DnsResolver MEMO_TEST_ONLY =
      host -> {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("memo.test") || h.endsWith(".memo.test")) {
          return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        }
        throw new UnknownHostException(host + " (the test resolves only *.memo.test)");
      };

  @BeforeAll
  @SuppressWarnings("deprecation") // ApacheHttpClient: the compat tests' HTTP client of choice
  static void start() throws Exception {
    work = Files.createTempDirectory("memo-s3-vhost-it");
    // Mixed case on purpose: host names compare case-insensitively.
    server =
        new ServerProcess("vhost", work, null)
            .extraArgs("--domain", "S3.Memo.Test", "--domain", SECOND_DOMAIN);
    server.start();
    http =
        ApacheHttpClient.builder()
            .dnsResolver(MEMO_TEST_ONLY)
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.close();
      Path keep = Path.of("target", "it-logs", "VirtualHostIT");
      Files.createDirectories(keep);
      if (Files.exists(server.logFile)) {
        Files.copy(server.logFile, keep.resolve("vhost.log"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    ServerProcess.deleteTree(work);
  }

  static URI endpoint(String host) {
    return URI.create("http://" + host + ":" + server.s3Port);
  }

  /** An SDK client for {@code http://host:port}; every Host header it sends is recorded. */
  static S3Client client(String host, boolean pathStyle, boolean defaultChecksums) {
    return S3Client.builder()
        .endpointOverride(endpoint(host))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY)))
        .forcePathStyle(pathStyle)
        .httpClient(http)
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeTransmission(
                              Context.BeforeTransmission context, ExecutionAttributes a) {
                            SdkHttpRequest r = context.httpRequest();
                            hosts.add(
                                r.firstMatchingHeader("Host").orElse(r.host() + ":" + r.port()));
                          }
                        }))
        .requestChecksumCalculation(
            defaultChecksums
                ? RequestChecksumCalculation.WHEN_SUPPORTED
                : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            defaultChecksums
                ? ResponseChecksumValidation.WHEN_SUPPORTED
                : ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** The Host headers sent since the last call, without the port. */
  static List<String> drainHosts() {
    List<String> out = new java.util.ArrayList<>();
    String h;
    while ((h = hosts.poll()) != null) {
      out.add(h.replaceFirst(":\\d+$", ""));
    }
    return out;
  }

  @ParameterizedTest(name = "default checksums: {0}")
  @ValueSource(booleans = {true, false})
  void sdkInVirtualHostedStyle(boolean defaultChecksums) {
    String bucket = bucketName("vhost");
    String key = "dir/a key+with ü&=?";
    byte[] part1 = ObjectRoundTripIT.random(5 * 1024 * 1024, 1);
    byte[] part2 = ObjectRoundTripIT.random(1000, 2);
    drainHosts();
    try (S3Client s3 = client(DOMAIN, false, defaultChecksums)) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("hello"));
      s3.putObject(b -> b.bucket(bucket).key("//lead/slashes"), RequestBody.fromString("x"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String())
          .isEqualTo("hello");
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("//lead/slashes")).asUtf8String())
          .isEqualTo("x");
      assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength()).isEqualTo(5);
      assertThat(
              s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                  .map(o -> o.key())
                  .toList())
          .containsExactly("//lead/slashes", key);
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("dir/").delimiter("/")).contents())
          .extracting(o -> o.key())
          .containsExactly(key);
      s3.copyObject(
          b ->
              b.sourceBucket(bucket)
                  .sourceKey(key)
                  .destinationBucket(bucket)
                  .destinationKey("copy"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy")).asUtf8String())
          .isEqualTo("hello");

      String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
      String e1 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1),
                  RequestBody.fromBytes(part1))
              .eTag();
      String e2 =
          s3.uploadPart(
                  b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(2),
                  RequestBody.fromBytes(part2))
              .eTag();
      assertThat(s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(uploadId)).parts())
          .hasSize(2);
      s3.completeMultipartUpload(
          b ->
              b.bucket(bucket)
                  .key("mp")
                  .uploadId(uploadId)
                  .multipartUpload(
                      u ->
                          u.parts(
                              CompletedPart.builder().partNumber(1).eTag(e1).build(),
                              CompletedPart.builder().partNumber(2).eTag(e2).build())));
      assertThat(s3.headObject(b -> b.bucket(bucket).key("mp")).contentLength())
          .isEqualTo(part1.length + part2.length);
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp").range("bytes=5242878-5242881"))
                  .asByteArray())
          .containsExactly(part1[5242878], part1[5242879], part2[0], part2[1]);

      // ListBuckets goes to the domain itself, which is path style.
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket);

      s3.deleteObjects(
          b ->
              b.bucket(bucket)
                  .delete(
                      d ->
                          d.objects(
                              ObjectIdentifier.builder().key(key).build(),
                              ObjectIdentifier.builder().key("copy").build())));
      s3.deleteObject(b -> b.bucket(bucket).key("//lead/slashes"));
      s3.deleteObject(b -> b.bucket(bucket).key("mp"));
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
      s3.deleteBucket(b -> b.bucket(bucket));
      assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }
    List<String> sent = drainHosts();
    assertThat(sent).contains(DOMAIN);
    assertThat(sent.stream().filter(h -> !h.equals(DOMAIN)))
        .as("every request but ListBuckets carries the bucket in its Host")
        .isNotEmpty()
        .allMatch(h -> h.equals(bucket + "." + DOMAIN));
  }

  /** A bucket with dots, and the second domain: the bucket is everything before the domain. */
  @Test
  void dottedBucketAndSecondDomain() {
    String bucket = "dotted." + bucketName("vhost");
    drainHosts();
    try (S3Client s3 = client(SECOND_DOMAIN, false, true)) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("dots"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("dots");
    }
    assertThat(drainHosts()).containsOnly(bucket + "." + SECOND_DOMAIN);
    // The same bucket and object through the first domain and through path style.
    try (S3Client s3 = client(DOMAIN, false, true)) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("dots");
    }
    try (S3Client s3 = server.client(true)) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("dots");
      s3.deleteObject(b -> b.bucket(bucket).key("k"));
      s3.deleteBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * Presigned GET and PUT URLs carry the bucket in their host; sent from the URL alone, as curl
   * would.
   */
  @Test
  void presignedUrlsWithTheBucketInTheHost() throws Exception {
    String bucket = bucketName("vhost-presign");
    try (S3Client s3 = client(DOMAIN, false, true);
        S3Presigner presigner =
            S3Presigner.builder()
                .endpointOverride(endpoint(DOMAIN))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY)))
                .serviceConfiguration(
                    S3Configuration.builder().pathStyleAccessEnabled(false).build())
                .build()) {
      s3.createBucket(b -> b.bucket(bucket));
      PresignedPutObjectRequest put =
          presigner.presignPutObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(5))
                      .putObjectRequest(b -> b.bucket(bucket).key("pre signed")));
      assertThat(put.url().getHost()).isEqualTo(bucket + "." + DOMAIN);
      byte[] body = "put through a presigned URL".getBytes(StandardCharsets.UTF_8);
      HttpExecuteResponse putResponse =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(fromUrl(SdkHttpMethod.PUT, put.url().toURI()))
                      .contentStreamProvider(() -> new java.io.ByteArrayInputStream(body))
                      .build())
              .call();
      assertThat(putResponse.httpResponse().statusCode()).isEqualTo(200);
      drain(putResponse);

      PresignedGetObjectRequest get =
          presigner.presignGetObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(5))
                      .getObjectRequest(b -> b.bucket(bucket).key("pre signed")));
      assertThat(get.url().getHost()).isEqualTo(bucket + "." + DOMAIN);
      HttpExecuteResponse getResponse =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(fromUrl(SdkHttpMethod.GET, get.url().toURI()))
                      .build())
              .call();
      assertThat(getResponse.httpResponse().statusCode()).isEqualTo(200);
      assertThat(drain(getResponse)).isEqualTo(body);

      // The signature covers the host: the same URL sent to another bucket's host fails.
      SdkHttpRequest moved =
          fromUrl(SdkHttpMethod.GET, get.url().toURI()).toBuilder()
              .host("other-" + bucket + "." + DOMAIN)
              .build();
      HttpExecuteResponse refused =
          http.prepareRequest(HttpExecuteRequest.builder().request(moved).build()).call();
      assertThat(refused.httpResponse().statusCode()).isEqualTo(403);
      assertThat(new String(drain(refused), StandardCharsets.UTF_8))
          .contains("<Code>SignatureDoesNotMatch</Code>");

      s3.deleteObject(b -> b.bucket(bucket).key("pre signed"));
      s3.deleteBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * Path style works through every host: the IP, the domain itself, and names that are not a
   * configured domain (a virtual-hosted request to such a name is taken as path style too).
   */
  @Test
  void pathStyleThroughAnyHostAndUnknownDomains() {
    String bucket = bucketName("vhost-path");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("path"));
    }
    for (String host : List.of(DOMAIN, "gateway.memo.test", "MEMO.TEST")) {
      drainHosts();
      try (S3Client s3 = client(host, true, true)) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
            .as("path style through %s", host)
            .isEqualTo("path");
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket);
      }
      assertThat(drainHosts()).containsOnly(host);
    }
    // Virtual-hosted style towards a name that is no configured domain: the Host is ignored and
    // the path's first segment ("k") is taken as the bucket.
    try (S3Client s3 = client("elsewhere.memo.test", false, true)) {
      assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("no-such-bucket-k")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket");
              });
    }
    assertThat(drainHosts()).containsOnly(bucket + ".elsewhere.memo.test");
    try (S3Client s3 = server.client(true)) {
      s3.deleteObject(b -> b.bucket(bucket).key("k"));
      s3.deleteBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * A Host under a configured domain whose first labels are no valid bucket name answers 400
   * InvalidBucketName naming it (AWS answers InvalidBucketName for a request naming an invalid
   * bucket); the request is properly signed, so only the name can be at fault. Upper case in the
   * Host is not invalid: host names are case-insensitive, the bucket is the lower-case name.
   */
  /**
   * A browser-form upload to {@code BUCKET.DOMAIN}: stored under its key, and its Location names
   * the object in virtual-hosted style (no bucket in the path).
   */
  @Test
  void aFormPostedToTheBucketsHost() throws Exception {
    String bucket = bucketName("vpost");
    try (S3Client s3 = client(DOMAIN, false, true)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    PostObjectIT.Form f = new PostObjectIT.Form();
    f.toBucket = bucket;
    f.accessKey = ServerProcess.ACCESS_KEY;
    f.secret = ServerProcess.SECRET_KEY;
    f.signed("key", "posted/here").signed("success_action_status", "201").sign();
    String boundary = "vhostFormBoundary";
    byte[] body =
        f.body(boundary, new java.io.ByteArrayInputStream("form".getBytes(StandardCharsets.UTF_8)))
            .readAllBytes();
    String host = bucket + "." + DOMAIN + ":" + server.s3Port;
    String head =
        "POST / HTTP/1.1\r\nHost: "
            + host
            + "\r\nContent-Type: multipart/form-data; boundary="
            + boundary
            + "\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.s3Port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 201");
      assertThat(response).contains("<Location>http://" + host + "/posted/here</Location>");
    }
    try (S3Client s3 = client(DOMAIN, false, true)) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("posted/here")).asUtf8String())
          .isEqualTo("form");
    }
  }

  @Test
  void invalidBucketNamesInTheHost() throws Exception {
    for (String label :
        List.of("ab", "bad_bucket", "a..b", "-dash", "xn--punycode", "192.168.1.1")) {
      RawResponse r = signedGet(label + "." + DOMAIN, "/");
      assertThat(r.status()).as("GET / on %s.%s: %s", label, DOMAIN, r.body()).isEqualTo(400);
      assertThat(r.body())
          .contains("<Code>InvalidBucketName</Code>")
          .contains("<BucketName>" + label + "</BucketName>");
    }
    // An empty label (".s3.memo.test") is no bucket either.
    RawResponse empty = signedGet("." + DOMAIN, "/k");
    assertThat(empty.status()).as(empty.body()).isEqualTo(400);
    assertThat(empty.body()).contains("<Code>InvalidBucketName</Code>");

    String bucket = bucketName("vhost-case");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("case"));
    }
    RawResponse upper = signedGet(bucket.toUpperCase(Locale.ROOT) + ".S3.MEMO.TEST", "/k");
    assertThat(upper.status()).as(upper.body()).isEqualTo(200);
    assertThat(upper.body()).isEqualTo("case");
    try (S3Client s3 = server.client(true)) {
      s3.deleteObject(b -> b.bucket(bucket).key("k"));
      s3.deleteBucket(b -> b.bucket(bucket));
    }
  }

  /** A request made of a URL alone, as curl would send a presigned URL. */
  static SdkHttpRequest fromUrl(SdkHttpMethod method, URI url) {
    return SdkHttpRequest.builder().method(method).uri(url).build();
  }

  record RawResponse(int status, String body) {}

  /**
   * GET {@code path} with {@code Host: host:port}, signed with SigV4 for that Host, sent on a plain
   * socket to 127.0.0.1 (the SDK would not put an invalid bucket name in a Host, and Java's HTTP
   * clients refuse to set the header).
   */
  static RawResponse signedGet(String host, String path) throws IOException {
    String hostHeader = host + ":" + server.s3Port;
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(URI.create("http://127.0.0.1:" + server.s3Port + path))
            .putHeader("Host", hostHeader)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsCredentialsIdentity.create(
                                ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY))
                        .request(unsigned)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      for (String v : h.getValue()) {
        req.append(h.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    req.append("Connection: close\r\n\r\n");
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.s3Port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      String head = response.substring(0, response.indexOf("\r\n\r\n"));
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new RawResponse(status, body);
    }
  }

  static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", i);
      int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
  }

  static byte[] drain(HttpExecuteResponse r) throws IOException {
    if (r.responseBody().isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = r.responseBody().get()) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    }
  }
}
