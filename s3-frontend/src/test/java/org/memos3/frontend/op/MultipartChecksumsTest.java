package org.memos3.frontend.op;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stored checksum's type and response headers: a value with a {@code -N} suffix is COMPOSITE, any
 * other FULL_OBJECT; the header is named after the algorithm in lower case.
 */
class MultipartChecksumsTest {

  @Test
  void aPartCountSuffixMakesTheChecksumComposite() {
    assertThat(MultipartChecksums.typeOf("dmFsdWU=-2")).isEqualTo("COMPOSITE");
    assertThat(MultipartChecksums.typeOf("dmFsdWU=-10000")).isEqualTo("COMPOSITE");
    assertThat(MultipartChecksums.typeOf("dmFsdWU=")).isEqualTo("FULL_OBJECT");
    assertThat(MultipartChecksums.typeOf("dmFsdWU=-")).isEqualTo("FULL_OBJECT");
  }

  @ParameterizedTest
  @CsvSource({
    "CRC32, x-amz-checksum-crc32",
    "CRC32C, x-amz-checksum-crc32c",
    "CRC64NVME, x-amz-checksum-crc64nvme",
    "SHA1, x-amz-checksum-sha1",
    "SHA256, x-amz-checksum-sha256"
  })
  void headersNameTheAlgorithmAndGiveTheType(String alg, String header) {
    Map<String, String> whole = new LinkedHashMap<>();
    MultipartChecksums.headers(whole, alg, "dmFsdWU=");
    assertThat(whole)
        .containsExactly(
            Map.entry(header, "dmFsdWU="), Map.entry("x-amz-checksum-type", "FULL_OBJECT"));

    Map<String, String> composite = new LinkedHashMap<>();
    MultipartChecksums.headers(composite, alg, "dmFsdWU=-3");
    assertThat(composite)
        .containsExactly(
            Map.entry(header, "dmFsdWU=-3"), Map.entry("x-amz-checksum-type", "COMPOSITE"));

    Map<String, String> part = new LinkedHashMap<>();
    MultipartChecksums.partHeaders(part, alg, "cGFydA==");
    assertThat(part)
        .containsExactly(
            Map.entry(header, "cGFydA=="), Map.entry("x-amz-checksum-type", "COMPOSITE"));
  }
}
