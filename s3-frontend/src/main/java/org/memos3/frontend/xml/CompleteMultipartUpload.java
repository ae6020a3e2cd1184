package org.memos3.frontend.xml;

import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** CompleteMultipartUpload request body. */
@JacksonXmlRootElement(localName = "CompleteMultipartUpload")
public record CompleteMultipartUpload(
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Part")
        List<PartEntry> parts) {

  /** One chosen part, with the checksum the client computed for it (if any). */
  public record PartEntry(
      @JacksonXmlProperty(localName = "PartNumber") Integer partNumber,
      @JacksonXmlProperty(localName = "ETag") String etag,
      @JacksonXmlProperty(localName = "ChecksumCRC32") String checksumCrc32,
      @JacksonXmlProperty(localName = "ChecksumCRC32C") String checksumCrc32c,
      @JacksonXmlProperty(localName = "ChecksumCRC64NVME") String checksumCrc64nvme,
      @JacksonXmlProperty(localName = "ChecksumSHA1") String checksumSha1,
      @JacksonXmlProperty(localName = "ChecksumSHA256") String checksumSha256) {

    /** The part checksum given for {@code algorithm} (S3's name, e.g. CRC32), or null. */
    public String checksum(String algorithm) {
      if (algorithm == null) {
        return null;
      }
      return switch (algorithm) {
        case "CRC32" -> checksumCrc32;
        case "CRC32C" -> checksumCrc32c;
        case "CRC64NVME" -> checksumCrc64nvme;
        case "SHA1" -> checksumSha1;
        case "SHA256" -> checksumSha256;
        default -> null;
      };
    }
  }
}
