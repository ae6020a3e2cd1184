package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;

/**
 * The five checksum elements of an S3 response (ChecksumCRC32 to ChecksumSHA256, in S3's order), at
 * most one of them set: the one of the checksum's algorithm; the others are null and so not
 * written. A response record holds it {@code @JsonUnwrapped}, so the elements sit among its own,
 * where the record's property order puts it. It does not own the checksum's type (COMPOSITE or
 * FULL_OBJECT), which each response places itself.
 */
@JsonPropertyOrder({
  "ChecksumCRC32",
  "ChecksumCRC32C",
  "ChecksumCRC64NVME",
  "ChecksumSHA1",
  "ChecksumSHA256"
})
public record ChecksumElements(
    @JacksonXmlProperty(localName = "ChecksumCRC32") String crc32,
    @JacksonXmlProperty(localName = "ChecksumCRC32C") String crc32c,
    @JacksonXmlProperty(localName = "ChecksumCRC64NVME") String crc64nvme,
    @JacksonXmlProperty(localName = "ChecksumSHA1") String sha1,
    @JacksonXmlProperty(localName = "ChecksumSHA256") String sha256) {

  /**
   * {@code value} in the element of {@code algorithm} (S3's name, e.g. CRC32); no element when
   * either is null or the name is not one of the five.
   */
  public static ChecksumElements of(String algorithm, String value) {
    return new ChecksumElements(
        "CRC32".equals(algorithm) ? value : null,
        "CRC32C".equals(algorithm) ? value : null,
        "CRC64NVME".equals(algorithm) ? value : null,
        "SHA1".equals(algorithm) ? value : null,
        "SHA256".equals(algorithm) ? value : null);
  }
}
