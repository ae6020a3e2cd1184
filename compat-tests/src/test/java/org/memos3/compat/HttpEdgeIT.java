package org.memos3.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.compat.MultipartIT.assertS3Error;
import static org.memos3.compat.ObjectRoundTripIT.bucketName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.memos3.frontend.http.HttpLimits;
import org.memos3.grid.GridConfig;
import org.memos3.kv.KvConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Raw-socket HTTP behaviour: the in-flight budget, 100-continue, malformed requests. */
class HttpEdgeIT {
  static TestServer server;
  static String bucket;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    bucket = bucketName("edge");
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Limits whose in-flight budget holds exactly one small upload at a time. */
  static HttpLimits tinyBudget() {
    HttpLimits d = HttpLimits.defaults();
    // each upload reserves its size plus 64 KiB
    return limits(d.workers(), d.queue(), 100 * 1024);
  }

  /** The default limits but for the worker pool, its queue and the in-flight budget. */
  static HttpLimits limits(int workers, int queue, long inFlightBytes) {
    HttpLimits d = HttpLimits.defaults();
    return new HttpLimits(
        d.maxInitialLine(),
        d.maxHeaderSize(),
        d.bodyHighWater(),
        d.bodyTimeoutMillis(),
        d.writeStallMillis(),
        d.idleSeconds(),
        workers,
        queue,
        inFlightBytes,
        d.reservePerRequest());
  }

  /** A public-read bucket on the current server holding {@code objects}; returns its name. */
  private static String publicBucket(String prefix, java.util.Map<String, byte[]> objects) {
    String name = bucketName(prefix);
    try (S3Client s3 = server.client(true)) {
      s3.createBucket(
          b ->
              b.bucket(name)
                  .acl(software.amazon.awssdk.services.s3.model.BucketCannedACL.PUBLIC_READ));
      objects.forEach(
          (key, body) ->
              s3.putObject(
                  r -> r.bucket(name).key(key),
                  software.amazon.awssdk.core.sync.RequestBody.fromBytes(body)));
    }
    return name;
  }

  @AfterAll
  static void stop() {
    server.destroy();
  }

  /** A presigner for the test server, path style. */
  private static S3Presigner presigner() {
    return S3Presigner.builder()
        .endpointOverride(URI.create(server.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(TestServer.ACCESS_KEY, TestServer.SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  private static URL presignedPut(String key) {
    try (S3Presigner p = presigner()) {
      return p.presignPutObject(
              r ->
                  r.signatureDuration(Duration.ofMinutes(5))
                      .putObjectRequest(o -> o.bucket(bucket).key(key)))
          .url();
    }
  }

  private static Socket open() throws IOException {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout(30_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one response (headers and, if Content-Length says so, the body) as text. */
  private static String readResponse(Socket s) throws IOException {
    Raw r = read(s, false);
    return r.head() + new String(r.body(), StandardCharsets.UTF_8);
  }

  private static String putHead(URL url, long length, boolean expectContinue) {
    return "PUT "
        + url.getFile()
        + " HTTP/1.1\r\nHost: "
        + url.getHost()
        + ":"
        + url.getPort()
        + "\r\nContent-Length: "
        + length
        + "\r\n"
        + (expectContinue ? "Expect: 100-continue\r\n" : "")
        + "\r\n";
  }

  @Test
  void aSpentBudgetAnswersSlowDownAndTheFirstRequestStillCompletes() throws Exception {
    TestServer main = server;
    server = TestServer.start(KvConfig.defaults(), tinyBudget());
    try {
      try (S3Client s3 = server.client(true)) {
        s3.createBucket(b -> b.bucket(bucket));
      }
      URL url = presignedPut("slow");
      try (Socket a = open();
          Socket b = open()) {
        send(a, putHead(url, 2000, false) + "x".repeat(1000)); // half a body: holds the budget
        Thread.sleep(300);
        send(b, putHead(presignedPut("other"), 10, false) + "0123456789");
        String rb = readResponse(b);
        assertThat(rb).startsWith("HTTP/1.1 503").contains("<Code>SlowDown</Code>");
        send(a, "y".repeat(1000));
        String ra = readResponse(a);
        assertThat(ra).startsWith("HTTP/1.1 200").contains("ETag");
      }
      // The budget is free again: released just after the first response is written, so a
      // request racing that release may still get one more SlowDown.
      String rc = "";
      for (int i = 0; i < 50 && !rc.startsWith("HTTP/1.1 200"); i++) {
        if (i > 0) {
          Thread.sleep(100);
        }
        try (Socket c = open()) {
          send(c, putHead(presignedPut("after"), 3, false) + "abc");
          rc = readResponse(c);
        }
      }
      assertThat(rc).startsWith("HTTP/1.1 200");
    } finally {
      server.destroy();
      server = main;
    }
  }

  @Test
  void aBadSignatureWithExpectContinueIsRefusedBeforeTheBody() throws Exception {
    URL url = presignedPut("refused");
    String tampered = url.getFile().replace("X-Amz-Signature=", "X-Amz-Signature=0");
    try (Socket s = open()) {
      send(
          s,
          "PUT "
              + tampered
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + server.port()
              + "\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
      String r = readResponse(s);
      assertThat(r).startsWith("HTTP/1.1 403").doesNotContain("100 Continue");
      assertThat(r).contains("<Code>SignatureDoesNotMatch</Code>");
    }
  }

  @Test
  void goodExpectContinueGetsContinueThenOk() throws Exception {
    URL url = presignedPut("continued");
    try (Socket s = open()) {
      send(s, putHead(url, 5, true));
      String cont = readResponse(s);
      assertThat(cont).startsWith("HTTP/1.1 100");
      send(s, "hello");
      assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void malformedRequestsGetAnS3ErrorAndTheServerStaysUp() throws Exception {
    try (Socket s = open()) {
      send(s, "THIS IS NOT HTTP\r\n\r\n");
      assertThat(readResponse(s)).startsWith("HTTP/1.1 400").contains("<Code>");
    }
    try (Socket s = open()) {
      send(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n");
      assertThat(readResponse(s)).startsWith("HTTP/1.1 4");
    }
    try (S3Client s3 = server.client(true)) {
      assertThat(s3.listBuckets().buckets()).isNotEmpty();
    }
  }

  /**
   * A key that is not UTF-8 once percent-decoded is 400 InvalidURI, signed or not (s3-tests:
   * test_object_read_unreadable); escapes of UTF-8 still route as before.
   */
  @Test
  void aKeyThatIsNotUtf8IsInvalidUri() throws Exception {
    for (String key : new String[] {"%AE%8A-", "a%FFb", "%C3"}) {
      try (Socket s = open()) {
        send(s, anonymous("GET", "/" + bucket + "/" + key));
        Raw r = read(s, false);
        assertThat(r.status()).as(key).startsWith("HTTP/1.1 400");
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
            .as(key)
            .contains("<Code>InvalidURI</Code>");
      }
    }
    try (Socket s = open()) {
      send(s, anonymous("GET", "/" + bucket + "/%C3%A9"));
      Raw r = read(s, false);
      assertThat(r.status()).startsWith("HTTP/1.1 403");
    }
    try (S3Client s3 = server.client(true)) {
      assertS3Error(() -> s3.getObject(b -> b.bucket(bucket).key("\u00e9")), 404, "NoSuchKey");
    }
  }

  /**
   * An empty Authorization header is no authorization (anonymous: 403 AccessDenied on a private
   * bucket), as on AWS; a malformed V2 one is AWS's 400 InvalidArgument (s3-tests:
   * test_object_create_bad_authorization_empty, _invalid_aws2).
   */
  @Test
  void emptyAndMalformedAuthorizationHeaders() throws Exception {
    try (Socket s = open()) {
      send(
          s,
          "PUT /"
              + bucket
              + "/empty-auth HTTP/1.1\r\nHost: h\r\nAuthorization: \r\nContent-Length: 1\r\n\r\nx");
      Raw r = read(s, false);
      assertThat(r.status()).startsWith("HTTP/1.1 403");
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("<Code>AccessDenied</Code>");
    }
    try (Socket s = open()) {
      send(
          s,
          "GET /"
              + bucket
              + "/k HTTP/1.1\r\nHost: h\r\nAuthorization: AWS HAHAHA\r\nContent-Length: 0\r\n\r\n");
      Raw r = read(s, false);
      assertThat(r.status()).startsWith("HTTP/1.1 400");
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("<Code>InvalidArgument</Code>");
    }
    try (S3Client s3 = server.client(true)) {
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("empty-auth")), 404, null);
    }
  }

  /**
   * A browser-form upload (POST Object: a multipart/form-data POST to the bucket) without a policy
   * and signature is anonymous: 403, nothing written (PostObjectIT has the signed ones); another
   * POST to the bucket is 412 PreconditionFailed, as AWS answers (s3-tests:
   * test_post_object_anonymous_request).
   */
  @Test
  void anonymousBrowserFormUploadsAreRefused() throws Exception {
    String boundary = "memoboundary";
    String form =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nposted\r\n--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n--"
            + boundary
            + "--\r\n";
    try (Socket s = open()) {
      send(
          s,
          anonymous(
                  "POST",
                  "/" + bucket,
                  "Content-Type: multipart/form-data; boundary=" + boundary,
                  "Content-Length: " + form.length())
              + form);
      Raw r = read(s, false);
      assertThat(r.status()).startsWith("HTTP/1.1 403");
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("<Code>AccessDenied</Code>");
    }
    try (Socket s = open()) {
      send(s, anonymous("POST", "/" + bucket, "Content-Length: 0"));
      Raw r = read(s, false);
      assertThat(r.status()).startsWith("HTTP/1.1 412");
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("<Code>PreconditionFailed</Code>")
          .contains("<Condition>Bucket POST must be of the enclosure-type multipart/form-data");
    }
    try (S3Client s3 = server.client(true)) {
      assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("posted")), 404, null);
    }
  }

  /**
   * {@code response-expires} comes back verbatim as Expires, not parsed as a date (s3-tests:
   * test_object_raw_response_headers sends 123; boto3 itself turns that into an RFC 822 date before
   * sending, so a raw query is the way to see what the server does).
   */
  @Test
  void responseExpiresIsEchoedVerbatim() throws Exception {
    try (S3Client s3 = server.client(true)) {
      s3.putObject(b -> b.bucket(bucket).key("expires"), RequestBody.fromString("x"));
    }
    for (String value : new String[] {"123", "Thu, 01 Dec 2033 16:00:00 GMT", "not a date"}) {
      URL url;
      try (S3Presigner p = presigner()) {
        url =
            p.presignGetObject(
                    r ->
                        r.signatureDuration(Duration.ofMinutes(5))
                            .getObjectRequest(
                                o ->
                                    o.bucket(bucket)
                                        .key("expires")
                                        .overrideConfiguration(
                                            c ->
                                                c.putRawQueryParameter("response-expires", value))))
                .url();
      }
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(url.toURI()).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(value).isEqualTo(200);
      assertThat(r.headers().firstValue("Expires")).as(value).contains(value);
    }
  }

  /**
   * A raw response: its head as sent (status line and headers, up to the blank line), the status
   * line, the headers (lower-case names) and the body.
   */
  record Raw(String head, String status, java.util.Map<String, String> headers, byte[] body) {}

  /**
   * Reads one response; {@code head}: a HEAD's, whose Content-Length comes without a body. A
   * connection closed early yields what arrived.
   */
  private static Raw read(Socket s, boolean head) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      h.write(c);
      matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
    }
    String text = h.toString(StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(),
            lines[i].substring(colon + 1).trim());
      }
    }
    int len = head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return new Raw(text, lines[0], headers, in.readNBytes(len));
  }

  /** An anonymous request head for {@code path} on the test server. */
  private static String anonymous(String method, String path, String... extraHeaders) {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    b.append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
    for (String x : extraHeaders) {
      b.append(x).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /**
   * Pipelined reads on one connection come back whole and in order, whether the server answers them
   * on the connection's event loop (a HEAD, a GET of an inline object, a 404) or on a worker (GETs
   * of chunked objects, whole, within one chunk and across two, and a listing).
   */
  @Test
  void pipelinedReadsComeBackInOrderWhereverTheyRun() throws Exception {
    byte[] small = "a small, inline body".getBytes(StandardCharsets.UTF_8);
    byte[] large = new byte[3 * 1024 * 1024 + 5]; // 4 chunks
    new java.util.Random(7).nextBytes(large);
    String pub = publicBucket("edge-pub", java.util.Map.of("small", small, "large", large));
    String p = "/" + pub;
    try (Socket s = open()) {
      send(
          s,
          anonymous("HEAD", p + "/small")
              + anonymous("GET", p + "/large")
              + anonymous("GET", p + "/small")
              + anonymous("GET", p + "/missing")
              + anonymous("GET", p + "/large", "Range: bytes=10-19")
              + anonymous("GET", p + "/large", "Range: bytes=1048570-1048585")
              + anonymous("GET", p + "?list-type=2")
              + anonymous("HEAD", p + "/large"));
      Raw head = read(s, true);
      assertThat(head.status()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(head.headers()).containsEntry("content-length", "" + small.length);
      Raw whole = read(s, false);
      assertThat(whole.status()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(whole.body()).isEqualTo(large);
      assertThat(read(s, false).body()).isEqualTo(small);
      Raw missing = read(s, false);
      assertThat(missing.status()).startsWith("HTTP/1.1 404");
      assertThat(new String(missing.body(), StandardCharsets.UTF_8))
          .contains("<Code>NoSuchKey</Code>");
      Raw within = read(s, false);
      assertThat(within.status()).startsWith("HTTP/1.1 206");
      assertThat(within.body()).isEqualTo(java.util.Arrays.copyOfRange(large, 10, 20));
      Raw across = read(s, false);
      assertThat(across.status()).startsWith("HTTP/1.1 206");
      assertThat(across.body()).isEqualTo(java.util.Arrays.copyOfRange(large, 1048570, 1048586));
      assertThat(new String(read(s, false).body(), StandardCharsets.UTF_8))
          .contains("<Key>large</Key>", "<Key>small</Key>");
      assertThat(read(s, true).headers()).containsEntry("content-length", "" + large.length);
    }
  }

  /**
   * With every worker busy (two uploads stalled mid-body: one running, one queued), reads of
   * records, and of objects of one small chunk, are still answered on the event loop, and a request
   * that needs a worker gets SlowDown on a connection that stays usable.
   */
  @Test
  void busyWorkersStillLetRecordReadsThroughAndTheRestGetSlowDown() throws Exception {
    TestServer main = server;
    String mainBucket = bucket;
    // one worker and one queued request
    server =
        TestServer.start(KvConfig.defaults(), limits(1, 1, HttpLimits.defaults().inFlightBytes()));
    try {
      byte[] oneChunk = new byte[64 * 1024];
      byte[] larger = new byte[64 * 1024 + 1];
      new java.util.Random(7).nextBytes(oneChunk);
      new java.util.Random(8).nextBytes(larger);
      String pub =
          publicBucket(
              "edge-busy",
              java.util.Map.of(
                  "k",
                  "record".getBytes(StandardCharsets.UTF_8),
                  "chunk",
                  oneChunk,
                  "larger",
                  larger));
      bucket = pub;
      try (Socket a = open();
          Socket b = open();
          Socket c = open()) {
        stallTheWorkerAndTheQueue(a, b);
        send(c, anonymous("HEAD", "/" + pub + "/k"));
        assertThat(read(c, true).status()).isEqualTo("HTTP/1.1 200 OK");
        send(c, anonymous("GET", "/" + pub + "/k"));
        assertThat(read(c, false).body()).isEqualTo("record".getBytes(StandardCharsets.UTF_8));
        // One chunk of at most 64 KiB is read on the event loop; a larger body needs a worker.
        send(c, anonymous("GET", "/" + pub + "/chunk"));
        assertThat(read(c, false).body()).isEqualTo(oneChunk);
        send(c, anonymous("GET", "/" + pub + "/larger"));
        assertThat(read(c, false).status()).startsWith("HTTP/1.1 503");
        send(c, anonymous("GET", "/" + pub + "?list-type=2"));
        Raw refused = read(c, false);
        assertThat(refused.status()).startsWith("HTTP/1.1 503");
        assertThat(new String(refused.body(), StandardCharsets.UTF_8))
            .contains("<Code>SlowDown</Code>");
        // A PUT whose body comes whole and is stored inline, or in one chunk of at most 64 KiB,
        // commits on the event loop too; a larger one needs a worker.
        send(c, putHead(presignedPut("c"), 100, false) + "z".repeat(100));
        assertThat(read(c, false).status()).isEqualTo("HTTP/1.1 200 OK");
        send(c, anonymous("GET", "/" + pub + "/c"));
        assertThat(read(c, false).body())
            .isEqualTo("z".repeat(100).getBytes(StandardCharsets.UTF_8));
        send(c, putHead(presignedPut("e"), 65536, false) + "e".repeat(65536));
        assertThat(read(c, false).status()).isEqualTo("HTTP/1.1 200 OK");
        send(c, anonymous("GET", "/" + pub + "/e"));
        assertThat(read(c, false).body())
            .isEqualTo("e".repeat(65536).getBytes(StandardCharsets.UTF_8));
        send(c, putHead(presignedPut("d"), 65537, false) + "z".repeat(65537));
        assertThat(read(c, false).status()).startsWith("HTTP/1.1 503");
        finishStalled(a, b);
        send(c, anonymous("GET", "/" + pub + "?list-type=2")); // same connection, workers free
        assertThat(new String(read(c, false).body(), StandardCharsets.UTF_8))
            .contains(
                "<Key>a</Key>",
                "<Key>b</Key>",
                "<Key>c</Key>",
                "<Key>chunk</Key>",
                "<Key>e</Key>",
                "<Key>k</Key>")
            .doesNotContain("<Key>d</Key>");
      }
    } finally {
      server.destroy();
      server = main;
      bucket = mainBucket;
    }
  }

  /**
   * With an fsync per commit (the {@code fsync} WAL), no PUT commits on the event loop: with every
   * worker busy, even a small whole one gets SlowDown.
   */
  @Test
  void fsyncWalCommitsOnlyOnWorkers() throws Exception {
    TestServer main = server;
    String mainBucket = bucket;
    server =
        TestServer.start(
            KvConfig.defaults(),
            limits(1, 1, HttpLimits.defaults().inFlightBytes()),
            g -> g.withWalMode(GridConfig.WalMode.FSYNC));
    try {
      bucket = publicBucket("edge-fsync", java.util.Map.of());
      try (Socket a = open();
          Socket b = open();
          Socket c = open()) {
        stallTheWorkerAndTheQueue(a, b);
        send(c, putHead(presignedPut("c"), 100, false) + "z".repeat(100));
        assertThat(read(c, false).status()).startsWith("HTTP/1.1 503");
        finishStalled(a, b);
        send(c, putHead(presignedPut("c"), 100, false) + "z".repeat(100)); // workers free again
        assertThat(read(c, false).status()).isEqualTo("HTTP/1.1 200 OK");
      }
    } finally {
      server.destroy();
      server = main;
      bucket = mainBucket;
    }
  }

  /**
   * With one worker and a queue of one: starts an upload on {@code a} that takes the worker and one
   * on {@code b} that takes the queue, both stalled halfway through their bodies.
   */
  private static void stallTheWorkerAndTheQueue(Socket a, Socket b) throws Exception {
    send(a, putHead(presignedPut("a"), 2000, false) + "x".repeat(1000)); // runs, waits
    Thread.sleep(200);
    send(b, putHead(presignedPut("b"), 2000, false) + "x".repeat(1000)); // queued
    Thread.sleep(200);
  }

  /** Sends the rest of the stalled uploads; both succeed. */
  private static void finishStalled(Socket a, Socket b) throws Exception {
    send(a, "y".repeat(1000));
    assertThat(read(a, false).status()).isEqualTo("HTTP/1.1 200 OK");
    send(b, "y".repeat(1000));
    assertThat(read(b, false).status()).isEqualTo("HTTP/1.1 200 OK");
  }
}
