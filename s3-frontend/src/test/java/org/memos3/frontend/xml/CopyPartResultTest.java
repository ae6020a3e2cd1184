package org.memos3.frontend.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * UploadPartCopy's answer, byte for byte: the part's checksum in the element of its algorithm,
 * after ETag; no checksum element when the upload has no algorithm.
 */
class CopyPartResultTest {
  private static final String HEAD =
      "<?xml version='1.0' encoding='UTF-8'?>"
          + "<CopyPartResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>\"e\"</ETag>";

  private static String xml(String alg, String value) {
    return S3Xml.text(
        S3Xml.write(CopyPartResult.of("2026-01-01T00:00:00.000Z", "\"e\"", alg, value)));
  }

  @ParameterizedTest
  @CsvSource({
    "CRC32, ChecksumCRC32",
    "CRC32C, ChecksumCRC32C",
    "CRC64NVME, ChecksumCRC64NVME",
    "SHA1, ChecksumSHA1",
    "SHA256, ChecksumSHA256"
  })
  void checksumInTheElementOfItsAlgorithm(String alg, String element) {
    assertThat(xml(alg, "dmFsdWU="))
        .isEqualTo(HEAD + "<" + element + ">dmFsdWU=</" + element + ">" + "</CopyPartResult>");
  }

  @Test
  void noChecksumElementWithoutAnAlgorithm() {
    assertThat(xml(null, null)).isEqualTo(HEAD + "</CopyPartResult>");
  }
}
