package org.memos3.auth.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.memos3.auth.AuthError;
import org.memos3.auth.AuthException;

/** Content-MD5, header and trailer checksums, and the consistency rules of the headers. */
class VerifyingInputStreamTest {
  private static final byte[] BODY = "The quick brown fox".getBytes(StandardCharsets.UTF_8);

  private static Map<String, List<String>> headers(String... nameValues) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return m;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String md5Base64(byte[] data) throws Exception {
    return b64(MessageDigest.getInstance("MD5").digest(data));
  }

  private static String checksum(ChecksumAlgorithm alg, byte[] data) {
    StreamingChecksum c = alg.newChecksum();
    c.update(data, 0, data.length);
    return c.base64();
  }

  private static byte[] drain(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static VerifyingInputStream verifying(
      byte[] body, Map<String, List<String>> headers, Map<String, String> trailers)
      throws AuthException {
    return new VerifyingInputStream(
        new ByteArrayInputStream(body), ChecksumRequest.parse(headers), () -> trailers);
  }

  private static void assertError(ThrowingCallable call, AuthError error) {
    assertThatThrownBy(call)
        .isInstanceOf(AuthException.class)
        .extracting(e -> ((AuthException) e).error())
        .isEqualTo(error);
  }

  @Test
  void md5AlwaysComputed() throws Exception {
    VerifyingInputStream in = verifying(BODY, Map.of(), Map.of());
    assertThat(drain(in)).isEqualTo(BODY);
    assertThat(in.md5Hex()).isEqualTo("a2004f37730b9445670a738fa0fc9ee5");
    assertThat(in.bytesRead()).isEqualTo(BODY.length);
    assertThat(in.checksumAlgorithm()).isEmpty();
    assertThat(in.checksumBase64()).isEmpty();
  }

  @Test
  void contentMd5() throws Exception {
    VerifyingInputStream good = verifying(BODY, headers("content-md5", md5Base64(BODY)), Map.of());
    assertThat(drain(good)).isEqualTo(BODY);

    VerifyingInputStream bad =
        verifying(BODY, headers("content-md5", md5Base64(new byte[1])), Map.of());
    assertError(() -> drain(bad), AuthError.BAD_DIGEST);
    assertError(() -> bad.read(), AuthError.BAD_DIGEST); // sticky

    assertError(
        () -> ChecksumRequest.parse(headers("content-md5", "not base64!")),
        AuthError.INVALID_DIGEST);
    assertError(
        () -> ChecksumRequest.parse(headers("content-md5", b64(new byte[15]))),
        AuthError.INVALID_DIGEST);
  }

  @Test
  void headerChecksumEveryAlgorithm() throws Exception {
    for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
      VerifyingInputStream good =
          verifying(BODY, headers(alg.headerName(), checksum(alg, BODY)), Map.of());
      assertThat(drain(good)).isEqualTo(BODY);
      assertThat(good.checksumAlgorithm()).contains(alg);
      assertThat(good.checksumBase64()).contains(checksum(alg, BODY));

      VerifyingInputStream bad =
          verifying(BODY, headers(alg.headerName(), checksum(alg, new byte[3])), Map.of());
      assertThatThrownBy(() -> drain(bad))
          .hasMessage("The " + alg.name() + " you specified did not match the calculated checksum.")
          .extracting(e -> ((AuthException) e).error())
          .isEqualTo(AuthError.BAD_DIGEST);
    }
  }

  @Test
  void trailerChecksum() throws Exception {
    Map<String, List<String>> h =
        headers("x-amz-trailer", "x-amz-checksum-crc32c", "x-amz-sdk-checksum-algorithm", "CRC32C");
    String good = checksum(ChecksumAlgorithm.CRC32C, BODY);
    VerifyingInputStream ok = verifying(BODY, h, Map.of("x-amz-checksum-crc32c", good));
    assertThat(drain(ok)).isEqualTo(BODY);
    assertThat(ok.checksumBase64()).contains(good);

    VerifyingInputStream bad =
        verifying(
            BODY,
            h,
            Map.of(
                "x-amz-checksum-crc32c",
                checksum(ChecksumAlgorithm.CRC32C, BODY)
                    .replace(good.charAt(0), good.charAt(0) == 'A' ? 'B' : 'A')));
    assertError(() -> drain(bad), AuthError.BAD_DIGEST);

    VerifyingInputStream missing = verifying(BODY, h, Map.of());
    assertError(() -> drain(missing), AuthError.MALFORMED_TRAILER);
  }

  @Test
  void conflictingHeaders() {
    String crc32 = checksum(ChecksumAlgorithm.CRC32, BODY);
    String sha1 = checksum(ChecksumAlgorithm.SHA1, BODY);
    assertError(
        () ->
            ChecksumRequest.parse(
                headers("x-amz-checksum-crc32", crc32, "x-amz-checksum-sha1", sha1)),
        AuthError.INVALID_REQUEST);
    assertError(
        () ->
            ChecksumRequest.parse(
                headers("x-amz-checksum-crc32", crc32, "x-amz-trailer", "x-amz-checksum-sha1")),
        AuthError.INVALID_REQUEST);
    assertError(
        () ->
            ChecksumRequest.parse(
                headers("x-amz-checksum-crc32", crc32, "x-amz-sdk-checksum-algorithm", "SHA1")),
        AuthError.INVALID_REQUEST);
    assertError(
        () -> ChecksumRequest.parse(headers("x-amz-sdk-checksum-algorithm", "CRC32")),
        AuthError.INVALID_REQUEST);
    assertError(
        () -> ChecksumRequest.parse(headers("x-amz-checksum-md7", crc32)),
        AuthError.INVALID_REQUEST);
    assertError(
        () -> ChecksumRequest.parse(headers("x-amz-checksum-crc32", sha1)),
        AuthError.INVALID_REQUEST); // wrong length
    assertError(
        () -> ChecksumRequest.parse(headers("x-amz-checksum-crc32", "%%%")),
        AuthError.INVALID_REQUEST);
  }

  @Test
  void consistentHeadersParse() throws Exception {
    String crc32 = checksum(ChecksumAlgorithm.CRC32, BODY);
    ChecksumRequest r =
        ChecksumRequest.parse(
            headers(
                "x-amz-checksum-crc32", crc32,
                "x-amz-sdk-checksum-algorithm", "crc32",
                "x-amz-checksum-type", "FULL_OBJECT"));
    assertThat(r.algorithm()).contains(ChecksumAlgorithm.CRC32);
    assertThat(r.checksumValue()).isEqualTo(crc32);
    assertThat(r.fromTrailer()).isFalse();
    assertThat(ChecksumRequest.parse(Map.of())).isEqualTo(ChecksumRequest.NONE);
  }

  @Test
  void md5BeforeEofIsAnError() throws Exception {
    VerifyingInputStream in = verifying(BODY, Map.of(), Map.of());
    assertThatThrownBy(in::md5).isInstanceOf(IllegalStateException.class);
  }
}
