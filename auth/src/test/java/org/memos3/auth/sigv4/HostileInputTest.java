package org.memos3.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.memos3.auth.AuthException;
import org.memos3.auth.checksum.ChecksumRequest;

/**
 * Fuzzing the request-facing parsers: random Authorization headers, random aws-chunked bodies and
 * random checksum headers only ever give an {@link AuthException} (S3's error), never another
 * exception, a hang, or bytes that were not sent.
 */
class HostileInputTest {
  private static final SigV4Authenticator AUTH = TestSupport.authenticator(TestSupport.DOC_TIME);

  @Provide
  Arbitrary<String> headerish() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings()
            .withChars("AWS4-HMAC-SHA256 Credential=/,;= SignedHeaders Signature abc0123\u00e9")
            .ofMaxLength(200)
            .map(s -> "AWS4-HMAC-SHA256 " + s),
        Arbitraries.of(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + " SignedHeaders=host, Signature=",
            "AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
            "AWS4-HMAC-SHA256",
            "AWS ",
            ""));
  }

  @Property(tries = 500)
  void randomAuthorizationHeadersGiveS3Errors(@ForAll("headerish") String authorization) {
    RequestHead head =
        new RequestHead(
            "GET",
            "/bucket/key",
            "",
            TestSupport.headers(
                "host", "localhost",
                "x-amz-date", "20130524T000000Z",
                "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
                "authorization", authorization));
    try {
      AUTH.authenticate(head);
    } catch (AuthException e) {
      assertThat(e.error()).isNotNull();
    }
  }

  @Provide
  Arbitrary<byte[]> chunkedBodies() {
    Arbitrary<String> structured =
        Arbitraries.strings()
            .withChars("0123456789abcdefABCDEF;\r\n:x-amz-checksum-crc32=chunk-signature ")
            .ofMaxLength(400);
    return Arbitraries.oneOf(
        structured.map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
        Arbitraries.of(
                "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n",
                "ffffffffffffffff\r\n",
                "-1\r\n",
                "5;chunk-signature=zz\r\nhello\r\n",
                "0\r\n",
                "3\r\nab")
            .map(s -> s.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Property(tries = 500)
  void randomAwsChunkedBodiesGiveS3Errors(@ForAll("chunkedBodies") byte[] body) throws Exception {
    RequestHead head =
        new RequestHead(
            "PUT",
            "/bucket/key",
            "",
            TestSupport.headers(
                "host", "localhost",
                "x-amz-date", "20130524T000000Z",
                "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "content-encoding", "aws-chunked",
                "x-amz-decoded-content-length", "5",
                "x-amz-trailer", "x-amz-checksum-crc32",
                "content-length", Integer.toString(body.length)));
    Authenticated a = AUTH.authenticate(head);
    try {
      byte[] got = TestSupport.readAll(a.payload(new ByteArrayInputStream(body)));
      // Accepted: then it was a well-formed body of exactly the declared length.
      assertThat(got).hasSize(5);
    } catch (AuthException e) {
      assertThat(e.error()).isNotNull();
    } catch (IOException e) {
      throw new AssertionError("a non-S3 I/O error escaped: " + e, e);
    }
  }

  @Property(tries = 300)
  void randomChecksumHeadersGiveS3Errors(
      @ForAll("headerish") String value, @ForAll("checksumHeaderNames") String name) {
    try {
      ChecksumRequest.parse(Map.of(name, java.util.List.of(value)));
    } catch (AuthException e) {
      assertThat(e.error()).isNotNull();
    }
  }

  @Provide
  Arbitrary<String> checksumHeaderNames() {
    return Arbitraries.of(
        "content-md5",
        "x-amz-checksum-crc32",
        "x-amz-checksum-crc32c",
        "x-amz-checksum-crc64nvme",
        "x-amz-checksum-sha1",
        "x-amz-checksum-sha256",
        "x-amz-sdk-checksum-algorithm",
        "x-amz-trailer");
  }
}
