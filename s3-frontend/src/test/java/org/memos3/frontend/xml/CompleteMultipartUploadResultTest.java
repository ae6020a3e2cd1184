package org.memos3.frontend.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CompleteMultipartUpload's answer, byte for byte: the object's checksum in the element of its
 * algorithm, between ETag and ChecksumType; neither element for an upload without a checksum. (The
 * handler picks the type: {@code MultipartChecksums.typeOf}.)
 */
class CompleteMultipartUploadResultTest {
  private static final String HEAD =
      "<?xml version='1.0' encoding='UTF-8'?>"
          + "<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<Location>/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>\"e-2\"</ETag>";
  private static final String TAIL = "</CompleteMultipartUploadResult>";

  private static String xml(String alg, String value, String type) {
    return S3Xml.text(
        S3Xml.write(
            CompleteMultipartUploadResult.of("/b/k", "b", "k", "\"e-2\"", alg, value, type)));
  }

  @ParameterizedTest
  @CsvSource({
    "CRC32, ChecksumCRC32",
    "CRC32C, ChecksumCRC32C",
    "SHA1, ChecksumSHA1",
    "SHA256, ChecksumSHA256"
  })
  void compositeChecksumInTheElementOfItsAlgorithm(String alg, String element) {
    assertThat(xml(alg, "dmFsdWU=-2", "COMPOSITE"))
        .isEqualTo(
            HEAD
                + "<"
                + element
                + ">dmFsdWU=-2</"
                + element
                + "><ChecksumType>COMPOSITE</ChecksumType>"
                + TAIL);
  }

  @ParameterizedTest
  @CsvSource({"CRC32, ChecksumCRC32", "CRC32C, ChecksumCRC32C", "CRC64NVME, ChecksumCRC64NVME"})
  void fullObjectChecksumInTheElementOfItsAlgorithm(String alg, String element) {
    assertThat(xml(alg, "dmFsdWU=", "FULL_OBJECT"))
        .isEqualTo(
            HEAD
                + "<"
                + element
                + ">dmFsdWU=</"
                + element
                + "><ChecksumType>FULL_OBJECT</ChecksumType>"
                + TAIL);
  }

  @Test
  void noChecksumElementsWithoutAChecksum() {
    assertThat(xml(null, null, null)).isEqualTo(HEAD + TAIL);
  }
}
