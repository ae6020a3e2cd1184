package org.memos3.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.memos3.auth.sigv4.TestSupport.DOC_TIME;
import static org.memos3.auth.sigv4.TestSupport.authenticator;
import static org.memos3.auth.sigv4.TestSupport.headers;
import static org.memos3.auth.sigv4.TestSupport.readAll;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/**
 * The published S3 SigV4 examples: "Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk", the presigned URL example and "Transferring Payload in
 * Multiple Chunks".
 */
class AwsDocumentationExamplesTest {
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String CRED =
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,";

  private final SigV4Authenticator auth = authenticator(DOC_TIME);

  @Test
  void getObjectWithRange() throws Exception {
    RequestHead head =
        new RequestHead(
            "GET",
            "/test.txt",
            null,
            headers(
                "host", "examplebucket.s3.amazonaws.com",
                "range", "bytes=0-9",
                "x-amz-content-sha256", EMPTY,
                "x-amz-date", "20130524T000000Z",
                "authorization",
                    CRED
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
                        + "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    Authenticated a = auth.authenticate(head);
    assertThat(a.credential().owner()).isEqualTo("alice");
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.SHA256_HEX);
    assertThat(readAll(a.payload(new ByteArrayInputStream(new byte[0])))).isEmpty();
  }

  @Test
  void putObjectWithStorageClass() throws Exception {
    byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
    RequestHead head =
        new RequestHead(
            "PUT",
            "/test%24file.text",
            "",
            headers(
                "Host", "examplebucket.s3.amazonaws.com",
                "Date", "Fri, 24 May 2013 00:00:00 GMT",
                "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256",
                    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                "Content-Length", String.valueOf(body.length),
                "Authorization",
                    CRED
                        + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-storage-class,Signature="
                        + "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
    Authenticated a = auth.authenticate(head);
    assertThat(a.decodedContentLength()).isEqualTo(body.length);
    assertThat(readAll(a.payload(new ByteArrayInputStream(body)))).isEqualTo(body);

    Authenticated again = auth.authenticate(head);
    byte[] tampered = "Welcome to Amazon S4.".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> readAll(again.payload(new ByteArrayInputStream(tampered))))
        .isInstanceOf(AuthException.class)
        .extracting(e -> ((AuthException) e).error())
        .isEqualTo(AuthError.X_AMZ_CONTENT_SHA256_MISMATCH);
  }

  @Test
  void getBucketLifecycle() throws Exception {
    RequestHead head =
        new RequestHead(
            "GET",
            "/",
            "lifecycle",
            headers(
                "host",
                "examplebucket.s3.amazonaws.com",
                "x-amz-date",
                "20130524T000000Z",
                "x-amz-content-sha256",
                EMPTY,
                "authorization",
                CRED
                    + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature="
                    + "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
    assertThat(auth.authenticate(head).credential().accessKeyId())
        .isEqualTo("AKIAIOSFODNN7EXAMPLE");
  }

  @Test
  void listObjects() throws Exception {
    RequestHead head =
        new RequestHead(
            "GET",
            "/",
            "max-keys=2&prefix=J",
            headers(
                "host",
                "examplebucket.s3.amazonaws.com",
                "x-amz-date",
                "20130524T000000Z",
                "x-amz-content-sha256",
                EMPTY,
                "authorization",
                CRED
                    + " SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
                    + "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
    assertThat(auth.authenticate(head).credential()).isNotNull();
    // Query parameter order does not matter.
    RequestHead reordered =
        new RequestHead(head.method(), head.rawPath(), "prefix=J&max-keys=2", head.headers());
    assertThat(auth.authenticate(reordered).credential()).isNotNull();
  }

  @Test
  void presignedUrl() throws Exception {
    String query =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    RequestHead head =
        new RequestHead(
            "GET", "/test.txt", query, headers("host", "examplebucket.s3.amazonaws.com"));
    Authenticated a = auth.authenticate(head);
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    assertThat(a.credential().owner()).isEqualTo("alice");

    assertThat(authenticator(DOC_TIME.plusSeconds(86400)).authenticate(head).credential())
        .isNotNull();
    assertThatThrownBy(() -> authenticator(DOC_TIME.plusSeconds(86401)).authenticate(head))
        .extracting(e -> ((AuthException) e).error())
        .isEqualTo(AuthError.EXPIRED_PRESIGNED);
  }

  /** The multiple-chunks example: 64 KiB + 1 KiB of 'a' and the final chunk. */
  static byte[] streamingExampleBody(String... signatures) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] sizes = {65536, 1024, 0};
    for (int i = 0; i < 3; i++) {
      out.writeBytes(
          (Integer.toHexString(sizes[i]) + ";chunk-signature=" + signatures[i] + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] data = new byte[sizes[i]];
      Arrays.fill(data, (byte) 'a');
      out.writeBytes(data);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  static final String[] STREAMING_SIGNATURES = {
    "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
  };

  static RequestHead streamingExampleHead() {
    return new RequestHead(
        "PUT",
        "/examplebucket/chunkObject.txt",
        null,
        headers(
            "host", "s3.amazonaws.com",
            "x-amz-date", "20130524T000000Z",
            "x-amz-storage-class", "REDUCED_REDUNDANCY",
            "content-encoding", "aws-chunked",
            "x-amz-decoded-content-length", "66560",
            "content-length", "66824",
            "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "authorization",
                CRED
                    + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;"
                    + "x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature="
                    + "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
  }

  @Test
  void streamingMultipleChunks() throws Exception {
    byte[] body = streamingExampleBody(STREAMING_SIGNATURES);
    assertThat(body).hasSize(66824);
    Authenticated a = auth.authenticate(streamingExampleHead());
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
    assertThat(a.decodedContentLength()).isEqualTo(66560);
    byte[] decoded = readAll(a.payload(new ByteArrayInputStream(body)));
    byte[] expected = new byte[66560];
    Arrays.fill(expected, (byte) 'a');
    assertThat(decoded).isEqualTo(expected);
    assertThat(a.trailers()).isEmpty();
  }

  @Test
  void streamingSingleByteReads() throws Exception {
    byte[] body = streamingExampleBody(STREAMING_SIGNATURES);
    Authenticated a = auth.authenticate(streamingExampleHead());
    var in = a.payload(new ByteArrayInputStream(body));
    int count = 0;
    while (in.read() >= 0) {
      count++;
    }
    assertThat(count).isEqualTo(66560);
  }
}
