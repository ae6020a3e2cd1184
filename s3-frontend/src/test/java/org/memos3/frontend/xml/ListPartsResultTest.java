package org.memos3.frontend.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ListParts: a part's checksum goes in the element of its algorithm, after Size, and the upload's
 * algorithm and type follow the parts; an upload without a checksum has none of these elements.
 */
class ListPartsResultTest {
  private static final Owner OWNER = new Owner("root", "root");

  private static String xml(List<ListPartsResult.PartEntry> parts, String alg, String type) {
    return new String(
        S3Xml.write(
            new ListPartsResult(
                S3Xml.NS,
                "b",
                "k",
                "u",
                OWNER,
                OWNER,
                "STANDARD",
                0,
                2,
                1000,
                false,
                parts,
                alg,
                type)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void partChecksumsInTheirAlgorithmsElement() {
    String out =
        xml(
            List.of(
                ListPartsResult.PartEntry.of(
                    1, "2026-01-01T00:00:00.000Z", "\"e1\"", 5, "SHA256", "c2hhMjU2"),
                ListPartsResult.PartEntry.of(
                    2, "2026-01-01T00:00:00.000Z", "\"e2\"", 3, "SHA256", "b3RoZXI=")),
            "SHA256",
            "COMPOSITE");
    assertThat(out)
        .contains(
            "<Part><PartNumber>1</PartNumber><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                + "<ETag>\"e1\"</ETag><Size>5</Size><ChecksumSHA256>c2hhMjU2</ChecksumSHA256></Part>")
        .contains("<ChecksumSHA256>b3RoZXI=</ChecksumSHA256>")
        .contains(
            "<ChecksumAlgorithm>SHA256</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType>")
        .doesNotContain("ChecksumCRC32");
  }

  @ParameterizedTest
  @CsvSource({
    "CRC32, ChecksumCRC32",
    "CRC32C, ChecksumCRC32C",
    "CRC64NVME, ChecksumCRC64NVME",
    "SHA1, ChecksumSHA1",
    "SHA256, ChecksumSHA256"
  })
  void wholeDocumentForEachAlgorithm(String alg, String element) {
    String out =
        xml(
            List.of(
                ListPartsResult.PartEntry.of(
                    1, "2026-01-01T00:00:00.000Z", "\"e1\"", 5, alg, "dmFsdWU=")),
            alg,
            "FULL_OBJECT");
    assertThat(out)
        .isEqualTo(
            "<?xml version='1.0' encoding='UTF-8'?>"
                + "<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>"
                + "<Initiator><ID>root</ID><DisplayName>root</DisplayName></Initiator>"
                + "<Owner><ID>root</ID><DisplayName>root</DisplayName></Owner>"
                + "<StorageClass>STANDARD</StorageClass><PartNumberMarker>0</PartNumberMarker>"
                + "<NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>1000</MaxParts>"
                + "<IsTruncated>false</IsTruncated>"
                + "<Part><PartNumber>1</PartNumber>"
                + "<LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                + "<ETag>\"e1\"</ETag><Size>5</Size>"
                + "<"
                + element
                + ">dmFsdWU=</"
                + element
                + "></Part>"
                + "<ChecksumAlgorithm>"
                + alg
                + "</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>"
                + "</ListPartsResult>");
  }

  @Test
  void noChecksumElementsWithoutAnAlgorithm() {
    String out =
        xml(
            List.of(
                ListPartsResult.PartEntry.of(
                    1, "2026-01-01T00:00:00.000Z", "\"e\"", 5, null, null)),
            null,
            null);
    assertThat(out).contains("<Size>5</Size></Part>").doesNotContain("Checksum");
  }
}
