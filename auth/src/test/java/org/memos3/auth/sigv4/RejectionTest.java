package org.memos3.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.auth.sigv4.AwsDocumentationExamplesTest.STREAMING_SIGNATURES;
import static org.memos3.auth.sigv4.AwsDocumentationExamplesTest.streamingExampleBody;
import static org.memos3.auth.sigv4.AwsDocumentationExamplesTest.streamingExampleHead;
import static org.memos3.auth.sigv4.TestSupport.DOC_TIME;
import static org.memos3.auth.sigv4.TestSupport.authenticator;
import static org.memos3.auth.sigv4.TestSupport.headers;
import static org.memos3.auth.sigv4.TestSupport.readAll;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/** Every way a request or its payload must be rejected, with the S3 error it gets. */
class RejectionTest {
  private static final Instant SDK_NOW = Instant.parse("2025-01-02T03:06:00Z");
  private static final String GET_AUTH =
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
          + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
          + "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";

  private static RequestHead docGet(String range, String authorization) {
    return new RequestHead(
        "GET",
        "/test.txt",
        null,
        headers(
            "host",
            "examplebucket.s3.amazonaws.com",
            "range",
            range,
            "x-amz-content-sha256",
            SigV4Util.EMPTY_SHA256,
            "x-amz-date",
            "20130524T000000Z",
            "authorization",
            authorization));
  }

  private static void assertError(ThrowingCallable call, AuthError error) {
    assertThatThrownBy(call)
        .isInstanceOf(AuthException.class)
        .extracting(e -> ((AuthException) e).error())
        .isEqualTo(error);
  }

  private static void assertPayloadError(RequestHead head, byte[] body, Instant now, AuthError e)
      throws Exception {
    Authenticated a = authenticator(now).authenticate(head);
    assertError(() -> readAll(a.payload(new ByteArrayInputStream(body))), e);
  }

  @Test
  void wrongSecret() throws Exception {
    SdkSigner.Signed s = SdkSigner.sign(o -> o.secret = "not-the-secret");
    assertError(
        () -> authenticator(SDK_NOW).authenticate(s.head()), AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void unknownAccessKey() {
    SigV4Authenticator nobody =
        new SigV4Authenticator(
            id -> Optional.empty(), "us-east-1", Clock.fixed(DOC_TIME, ZoneOffset.UTC));
    assertError(
        () -> nobody.authenticate(docGet("bytes=0-9", GET_AUTH)), AuthError.INVALID_ACCESS_KEY_ID);
  }

  @Test
  void tamperedHeader() {
    assertError(
        () -> authenticator(DOC_TIME).authenticate(docGet("bytes=0-10", GET_AUTH)),
        AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void tamperedPathAndQuery() throws Exception {
    SdkSigner.Signed s = SdkSigner.sign(o -> o.query.put("uploadId", "1"));
    RequestHead h = s.head();
    SigV4Authenticator auth = authenticator(SDK_NOW);
    assertThat(auth.authenticate(h).credential()).isNotNull();
    assertError(
        () ->
            auth.authenticate(new RequestHead("PUT", h.rawPath() + "2", h.rawQuery(), h.headers())),
        AuthError.SIGNATURE_DOES_NOT_MATCH);
    assertError(
        () -> auth.authenticate(new RequestHead("PUT", h.rawPath(), "uploadId=2", h.headers())),
        AuthError.SIGNATURE_DOES_NOT_MATCH);
    assertError(
        () -> auth.authenticate(new RequestHead("POST", h.rawPath(), h.rawQuery(), h.headers())),
        AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void tamperedBodyWithHexHash() throws Exception {
    byte[] body = "hello world".getBytes(StandardCharsets.UTF_8);
    SdkSigner.Signed s = SdkSigner.sign(o -> o.body = body);
    byte[] tampered = "hello World".getBytes(StandardCharsets.UTF_8);
    assertPayloadError(s.head(), tampered, SDK_NOW, AuthError.X_AMZ_CONTENT_SHA256_MISMATCH);
    assertPayloadError(
        s.head(), Arrays.copyOf(body, 5), SDK_NOW, AuthError.INCOMPLETE_BODY); // short body
  }

  @Test
  void tamperedChunkData() throws Exception {
    byte[] body = streamingExampleBody(STREAMING_SIGNATURES);
    body[1000] = 'b';
    assertPayloadError(streamingExampleHead(), body, DOC_TIME, AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void reorderedChunks() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] whole = streamingExampleBody(STREAMING_SIGNATURES);
    int first = 88 + 65536 + 2;
    int second = 86 + 1024 + 2;
    out.write(whole, first, second);
    out.write(whole, 0, first);
    out.write(whole, first + second, whole.length - first - second);
    assertPayloadError(
        streamingExampleHead(), out.toByteArray(), DOC_TIME, AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void truncatedStream() throws Exception {
    byte[] body = streamingExampleBody(STREAMING_SIGNATURES);
    assertPayloadError(
        streamingExampleHead(), Arrays.copyOf(body, 40_000), DOC_TIME, AuthError.INCOMPLETE_BODY);
    assertPayloadError(
        streamingExampleHead(), Arrays.copyOf(body, 50), DOC_TIME, AuthError.INCOMPLETE_BODY);
  }

  @Test
  void missingFinalChunk() throws Exception {
    byte[] body = streamingExampleBody(STREAMING_SIGNATURES);
    assertPayloadError(
        streamingExampleHead(),
        Arrays.copyOf(body, body.length - 86),
        DOC_TIME,
        AuthError.INCOMPLETE_BODY);
  }

  private static SdkSigner.Signed trailerRequest(byte[] data) throws Exception {
    return SdkSigner.sign(
        o -> {
          o.body = data;
          o.chunked = true;
          o.crc32 = true;
        });
  }

  private static int indexOf(byte[] haystack, String needle) {
    String s = new String(haystack, StandardCharsets.ISO_8859_1);
    return s.indexOf(needle);
  }

  @Test
  void missingTrailer() throws Exception {
    SdkSigner.Signed s = trailerRequest(new byte[5000]);
    int at = indexOf(s.body(), "x-amz-checksum-crc32:");
    assertThat(at).isPositive();
    assertPayloadError(s.head(), Arrays.copyOf(s.body(), at), SDK_NOW, AuthError.INCOMPLETE_BODY);
  }

  @Test
  void missingTrailerSignature() throws Exception {
    SdkSigner.Signed s = trailerRequest(new byte[5000]);
    int at = indexOf(s.body(), "x-amz-trailer-signature:");
    assertPayloadError(
        s.head(), Arrays.copyOf(s.body(), at), SDK_NOW, AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void badTrailerSignature() throws Exception {
    SdkSigner.Signed s = trailerRequest(new byte[5000]);
    byte[] body = s.body().clone();
    int at = indexOf(body, "x-amz-trailer-signature:") + "x-amz-trailer-signature:".length();
    body[at] = (byte) (body[at] == '0' ? '1' : '0');
    assertPayloadError(s.head(), body, SDK_NOW, AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void tamperedTrailerValue() throws Exception {
    SdkSigner.Signed s = trailerRequest(new byte[5000]);
    byte[] body = s.body().clone();
    int at = indexOf(body, "x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
    body[at] = (byte) (body[at] == 'A' ? 'B' : 'A');
    assertPayloadError(s.head(), body, SDK_NOW, AuthError.SIGNATURE_DOES_NOT_MATCH);
  }

  @Test
  void expiredPresignedUrl() throws Exception {
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.method = "GET";
              o.presign = true;
              o.payloadSigning = false;
              o.expiration = java.time.Duration.ofSeconds(60);
            });
    Instant signedAt = Instant.parse("2025-01-02T03:04:05Z");
    assertThat(authenticator(signedAt.plusSeconds(60)).authenticate(s.head()).credential())
        .isNotNull();
    assertError(
        () -> authenticator(signedAt.plusSeconds(61)).authenticate(s.head()),
        AuthError.EXPIRED_PRESIGNED);
  }

  private static RequestHead presignedExpiring(String expires) {
    String query =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            + "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires="
            + expires
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
    return new RequestHead("GET", "/x", query, headers("host", "h"));
  }

  /** AWS: negative, over a week or not a number is 400; 0 is a URL expired after its second. */
  @Test
  void presignedExpiresOutOfRange() {
    for (String expires : List.of("604801", "-5", "soon")) {
      assertError(
          () -> authenticator(DOC_TIME).authenticate(presignedExpiring(expires)),
          AuthError.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }
    assertError(
        () -> authenticator(DOC_TIME.plusSeconds(1)).authenticate(presignedExpiring("0")),
        AuthError.EXPIRED_PRESIGNED);
  }

  @Test
  void skewedClock() throws Exception {
    RequestHead h = docGet("bytes=0-9", GET_AUTH);
    assertThat(authenticator(DOC_TIME.plusSeconds(15 * 60)).authenticate(h).credential())
        .isNotNull();
    assertThat(authenticator(DOC_TIME.minusSeconds(15 * 60)).authenticate(h).credential())
        .isNotNull();
    assertError(
        () -> authenticator(DOC_TIME.plusSeconds(15 * 60 + 1)).authenticate(h),
        AuthError.REQUEST_TIME_TOO_SKEWED);
    assertError(
        () -> authenticator(DOC_TIME.minusSeconds(15 * 60 + 1)).authenticate(h),
        AuthError.REQUEST_TIME_TOO_SKEWED);
  }

  @Test
  void wrongRegion() {
    SigV4Authenticator euWest =
        new SigV4Authenticator(
            TestSupport.LOOKUP, "eu-west-1", Clock.fixed(DOC_TIME, ZoneOffset.UTC));
    assertThatThrownBy(() -> euWest.authenticate(docGet("bytes=0-9", GET_AUTH)))
        .isInstanceOf(AuthException.class)
        .hasMessage(
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting"
                + " 'eu-west-1'")
        .extracting(e -> ((AuthException) e).error())
        .isEqualTo(AuthError.AUTHORIZATION_HEADER_MALFORMED);
  }

  @Test
  void wrongServiceAndMalformedCredential() {
    assertError(
        () ->
            authenticator(DOC_TIME)
                .authenticate(docGet("bytes=0-9", GET_AUTH.replace("/s3/", "/ec2/"))),
        AuthError.AUTHORIZATION_HEADER_MALFORMED);
    assertError(
        () ->
            authenticator(DOC_TIME)
                .authenticate(docGet("bytes=0-9", GET_AUTH.replace("/20130524/", "/2013/"))),
        AuthError.AUTHORIZATION_HEADER_MALFORMED);
    assertError(
        () ->
            authenticator(DOC_TIME)
                .authenticate(docGet("bytes=0-9", GET_AUTH.replace("/20130524/", "/20130523/"))),
        AuthError.AUTHORIZATION_HEADER_MALFORMED);
    assertError(
        () ->
            authenticator(DOC_TIME)
                .authenticate(docGet("bytes=0-9", GET_AUTH.replace("Signature=", "Sig="))),
        AuthError.AUTHORIZATION_HEADER_MALFORMED);
  }

  @Test
  void sigV2() {
    assertError(
        () ->
            authenticator(DOC_TIME)
                .authenticate(
                    new RequestHead(
                        "GET",
                        "/b/k",
                        null,
                        headers("host", "h", "authorization", "AWS AKIAIOSFODNN7EXAMPLE:abc="))),
        AuthError.UNSUPPORTED_SIGNATURE);
    assertError(
        () ->
            authenticator(DOC_TIME)
                .authenticate(
                    new RequestHead(
                        "GET",
                        "/b/k",
                        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=abc",
                        headers("host", "h"))),
        AuthError.UNSUPPORTED_SIGNATURE);
    // A malformed V2 header is AWS's InvalidArgument, a well-formed one unsupported.
    for (String bad : List.of("AWS HAHAHA", "AWS a:b:c", "AWS :sig")) {
      assertError(
          () ->
              authenticator(DOC_TIME)
                  .authenticate(
                      new RequestHead(
                          "GET", "/b/k", null, headers("host", "h", "authorization", bad))),
          AuthError.INVALID_ARGUMENT);
    }
  }

  /** AWS takes an empty Authorization header as none: the request is anonymous. */
  @Test
  void anEmptyAuthorizationHeaderIsAnonymous() throws Exception {
    for (String empty : List.of("", "  ")) {
      assertThat(
              authenticator(DOC_TIME)
                  .authenticate(
                      new RequestHead(
                          "GET", "/b/k", null, headers("host", "h", "authorization", empty)))
                  .credential())
          .isNull();
    }
  }

  @Test
  void missingContentSha256() {
    Map<String, List<String>> h = new HashMap<>(docGet("bytes=0-9", GET_AUTH).headers());
    h.remove("x-amz-content-sha256");
    assertThatThrownBy(
            () -> authenticator(DOC_TIME).authenticate(new RequestHead("GET", "/", "", h)))
        .hasMessage("Missing required header for this request: x-amz-content-sha256")
        .extracting(e -> ((AuthException) e).error())
        .isEqualTo(AuthError.INVALID_REQUEST);
  }

  @Test
  void hostMustBeSigned() {
    String auth = GET_AUTH.replace("SignedHeaders=host;", "SignedHeaders=");
    assertError(
        () -> authenticator(DOC_TIME).authenticate(docGet("bytes=0-9", auth)),
        AuthError.ACCESS_DENIED);
  }

  @Test
  void anonymousPassesThrough() throws Exception {
    Authenticated a =
        authenticator(DOC_TIME)
            .authenticate(new RequestHead("PUT", "/b/k", null, headers("host", "h")));
    assertThat(a.credential()).isNull();
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.ANONYMOUS);
    assertThat(readAll(a.payload(new ByteArrayInputStream(new byte[] {1, 2, 3}))))
        .containsExactly(1, 2, 3);
    assertThatThrownBy(() -> a.payload(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(IllegalStateException.class);
  }

  private static AwsChunkedInputStream unsignedChunks(String body, long decoded) {
    return new AwsChunkedInputStream(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)),
        PayloadMode.STREAMING_UNSIGNED_TRAILER,
        null,
        decoded,
        List.of("x-amz-checksum-crc32"),
        t -> {});
  }

  @Test
  void unsignedChunkFraming() throws Exception {
    String ok = "3\r\nabc\r\n2\r\nde\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    assertThat(readAll(unsignedChunks(ok, 5))).isEqualTo("abcde".getBytes(StandardCharsets.UTF_8));
    // Lenient: no final CRLF after the trailers.
    assertThat(readAll(unsignedChunks(ok.substring(0, ok.length() - 2), 5))).hasSize(5);
    assertError(() -> readAll(unsignedChunks(ok, 6)), AuthError.INCOMPLETE_BODY);
    assertError(() -> readAll(unsignedChunks(ok, 4)), AuthError.INVALID_REQUEST);
    assertError(
        () -> readAll(unsignedChunks(ok.replace("x-amz-checksum-crc32:", "x-amz-foo:"), 5)),
        AuthError.MALFORMED_TRAILER);
    assertError(
        () -> readAll(unsignedChunks(ok.replace("x-amz-checksum-crc32:", "garbage"), 5)),
        AuthError.MALFORMED_TRAILER);
    assertError(
        () -> readAll(unsignedChunks("zz\r\nabc\r\n0\r\n\r\n", -1)), AuthError.INVALID_REQUEST);
    assertError(
        () -> readAll(unsignedChunks("3\r\nabcX\r\n0\r\n\r\n", -1)), AuthError.INVALID_REQUEST);
    assertError(
        () -> readAll(unsignedChunks("3" + ";x".repeat(5000) + "\r\nabc\r\n", -1)),
        AuthError.INVALID_REQUEST);
  }
}
