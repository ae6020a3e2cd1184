package org.memos3.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.memos3.auth.sigv4.TestSupport.readAll;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.memos3.auth.checksum.ChecksumRequest;
import org.memos3.auth.checksum.VerifyingInputStream;

/** Requests signed by the real AWS SDK v2 signer must verify and decode to the original bytes. */
class SdkSignerCompatibilityTest {
  private static final Instant NOW = Instant.parse("2025-01-02T03:06:00Z");
  private final SigV4Authenticator auth = TestSupport.authenticator(NOW);

  static byte[] randomBody(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  static String crc32Base64(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    long v = crc.getValue();
    return Base64.getEncoder()
        .encodeToString(
            new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private byte[] verify(SdkSigner.Signed s, PayloadMode expectedMode) throws Exception {
    Authenticated a = auth.authenticate(s.head());
    assertThat(a.credential().owner()).isEqualTo("alice");
    assertThat(a.payloadMode()).isEqualTo(expectedMode);
    return readAll(a.payload(new ByteArrayInputStream(s.body())));
  }

  @Test
  void unsignedPayload() throws Exception {
    byte[] body = randomBody(1000);
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.body = body;
              o.payloadSigning = false;
            });
    assertThat(verify(s, PayloadMode.UNSIGNED)).isEqualTo(body);
  }

  @Test
  void plainHttpSignsThePayloadEvenWhenAskedNotTo() throws Exception {
    byte[] body = randomBody(1000);
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.protocol = "http";
              o.body = body;
              o.payloadSigning = false;
            });
    assertThat(verify(s, PayloadMode.SHA256_HEX)).isEqualTo(body);
    SdkSigner.Signed chunked =
        SdkSigner.sign(
            o -> {
              o.protocol = "http";
              o.body = body;
              o.chunked = true;
              o.crc32 = true;
              o.payloadSigning = false;
            });
    assertThat(verify(chunked, PayloadMode.STREAMING_SIGNED_TRAILER)).isEqualTo(body);
  }

  @Test
  void hexPayloadHash() throws Exception {
    byte[] body = randomBody(5000);
    SdkSigner.Signed s = SdkSigner.sign(o -> o.body = body);
    assertThat(verify(s, PayloadMode.SHA256_HEX)).isEqualTo(body);
  }

  @Test
  void getWithQuery() throws Exception {
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.method = "GET";
              o.key = "";
              o.query.put("list-type", "2");
              o.query.put("prefix", "a b+c/ü%");
              o.query.put("delimiter", "/");
              o.query.put("uploads", "");
              o.headers.put("Range", "bytes=0-9");
              o.headers.put("x-amz-meta-spaces", "  a   b  ");
            });
    assertThat(verify(s, PayloadMode.SHA256_HEX)).isEmpty();
  }

  @Test
  void signedChunked() throws Exception {
    byte[] body = randomBody(300_000);
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.body = body;
              o.chunked = true;
            });
    assertThat(s.head().header("x-amz-content-sha256"))
        .contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    assertThat(verify(s, PayloadMode.STREAMING_SIGNED)).isEqualTo(body);
  }

  @Test
  void signedChunkedEmptyBody() throws Exception {
    SdkSigner.Signed s = SdkSigner.sign(o -> o.chunked = true);
    assertThat(verify(s, PayloadMode.STREAMING_SIGNED)).isEmpty();
  }

  @Test
  void signedChunkedWithTrailer() throws Exception {
    byte[] body = randomBody(200_000);
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.body = body;
              o.chunked = true;
              o.crc32 = true;
            });
    assertThat(s.head().header("x-amz-content-sha256"))
        .contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
    Authenticated a = auth.authenticate(s.head());
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED_TRAILER);
    assertThat(readAll(a.payload(new ByteArrayInputStream(s.body())))).isEqualTo(body);
    assertThat(a.trailers()).containsEntry("x-amz-checksum-crc32", crc32Base64(body));
  }

  @Test
  void trailerChecksumFlowsIntoVerifyingInputStream() throws Exception {
    byte[] body = randomBody(70_000);
    for (boolean signed : new boolean[] {true, false}) {
      SdkSigner.Signed s =
          SdkSigner.sign(
              o -> {
                o.body = body;
                o.chunked = true;
                o.crc32 = true;
                o.payloadSigning = signed;
              });
      Authenticated a = auth.authenticate(s.head());
      ChecksumRequest request = ChecksumRequest.parse(s.head().headers());
      assertThat(request.fromTrailer()).isTrue();
      VerifyingInputStream in =
          new VerifyingInputStream(
              a.payload(new ByteArrayInputStream(s.body())), request, a::trailers);
      assertThat(readAll(in)).isEqualTo(body);
      assertThat(in.checksumBase64()).contains(crc32Base64(body));
    }
  }

  @Test
  void unsignedChunkedWithTrailer() throws Exception {
    byte[] body = randomBody(100_000);
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.body = body;
              o.chunked = true;
              o.crc32 = true;
              o.payloadSigning = false;
            });
    assertThat(s.head().header("x-amz-content-sha256"))
        .contains("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    Authenticated a = auth.authenticate(s.head());
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.STREAMING_UNSIGNED_TRAILER);
    assertThat(readAll(a.payload(new ByteArrayInputStream(s.body())))).isEqualTo(body);
    assertThat(a.trailers()).containsEntry("x-amz-checksum-crc32", crc32Base64(body));
  }

  @Test
  void presigned() throws Exception {
    SdkSigner.Signed s =
        SdkSigner.sign(
            o -> {
              o.method = "GET";
              o.presign = true;
              o.payloadSigning = false;
              o.key = "dir/some file+x.txt";
            });
    assertThat(s.head().rawQuery()).contains("X-Amz-Signature=");
    Authenticated a = auth.authenticate(s.head());
    assertThat(a.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    assertThat(a.credential().owner()).isEqualTo("alice");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a/../b",
        "a//b",
        "..",
        "a/./b/",
        "100%",
        "%41",
        "with space",
        "plus+sign",
        "ünïcødé/日本語/😀",
        "special!*'()&$@=;:,?#[]{}^`|\\\"<>",
        "~tilde-_.",
      })
  void awkwardKeys(String key) throws Exception {
    byte[] body = key.getBytes(StandardCharsets.UTF_8);
    SdkSigner.Signed header =
        SdkSigner.sign(
            o -> {
              o.key = key;
              o.body = body;
            });
    assertThat(verify(header, PayloadMode.SHA256_HEX)).isEqualTo(body);

    SdkSigner.Signed presigned =
        SdkSigner.sign(
            o -> {
              o.key = key;
              o.method = "GET";
              o.presign = true;
              o.payloadSigning = false;
            });
    assertThat(auth.authenticate(presigned.head()).credential()).isNotNull();

    SdkSigner.Signed chunked =
        SdkSigner.sign(
            o -> {
              o.key = key;
              o.body = body;
              o.chunked = true;
              o.crc32 = true;
            });
    assertThat(verify(chunked, PayloadMode.STREAMING_SIGNED_TRAILER)).isEqualTo(body);
  }
}
