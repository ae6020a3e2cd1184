package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * UploadPartCopy response: when the copy was written, its (quoted) ETag and, in an upload with a
 * checksum algorithm, the part's checksum in the element of that algorithm.
 */
@JacksonXmlRootElement(localName = "CopyPartResult")
@JsonPropertyOrder({
  "xmlns",
  "LastModified",
  "ETag",
  "ChecksumCRC32",
  "ChecksumCRC32C",
  "ChecksumCRC64NVME",
  "ChecksumSHA1",
  "ChecksumSHA256"
})
public record CopyPartResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "LastModified") String lastModified,
    @JacksonXmlProperty(localName = "ETag") String etag,
    @JacksonXmlProperty(localName = "ChecksumCRC32") String checksumCrc32,
    @JacksonXmlProperty(localName = "ChecksumCRC32C") String checksumCrc32c,
    @JacksonXmlProperty(localName = "ChecksumCRC64NVME") String checksumCrc64nvme,
    @JacksonXmlProperty(localName = "ChecksumSHA1") String checksumSha1,
    @JacksonXmlProperty(localName = "ChecksumSHA256") String checksumSha256) {

  /** A copied part whose checksum is {@code value} of algorithm {@code alg} (both may be null). */
  public static CopyPartResult of(String lastModified, String etag, String alg, String value) {
    ListPartsResult.PartEntry e = ListPartsResult.PartEntry.of(0, null, null, 0, alg, value);
    return new CopyPartResult(
        S3Xml.NS,
        lastModified,
        etag,
        e.checksumCrc32(),
        e.checksumCrc32c(),
        e.checksumCrc64nvme(),
        e.checksumSha1(),
        e.checksumSha256());
  }
}
