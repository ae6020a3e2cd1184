package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CompleteMultipartUpload response. */
@JacksonXmlRootElement(localName = "CompleteMultipartUploadResult")
@JsonPropertyOrder({
  "xmlns",
  "Location",
  "Bucket",
  "Key",
  "ETag",
  "ChecksumCRC32",
  "ChecksumCRC32C",
  "ChecksumCRC64NVME",
  "ChecksumSHA1",
  "ChecksumSHA256",
  "ChecksumType"
})
public record CompleteMultipartUploadResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Location") String location,
    @JacksonXmlProperty(localName = "Bucket") String bucket,
    @JacksonXmlProperty(localName = "Key") String key,
    @JacksonXmlProperty(localName = "ETag") String etag,
    @JacksonXmlProperty(localName = "ChecksumCRC32") String checksumCrc32,
    @JacksonXmlProperty(localName = "ChecksumCRC32C") String checksumCrc32c,
    @JacksonXmlProperty(localName = "ChecksumCRC64NVME") String checksumCrc64nvme,
    @JacksonXmlProperty(localName = "ChecksumSHA1") String checksumSha1,
    @JacksonXmlProperty(localName = "ChecksumSHA256") String checksumSha256,
    @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {

  /** The result with the object's checksum (algorithm by S3 name, value; both may be null). */
  public static CompleteMultipartUploadResult of(
      String location, String bucket, String key, String etag, String alg, String value) {
    String type = value == null ? null : value.matches(".*-[0-9]+") ? "COMPOSITE" : "FULL_OBJECT";
    return new CompleteMultipartUploadResult(
        S3Xml.NS,
        location,
        bucket,
        key,
        etag,
        "CRC32".equals(alg) ? value : null,
        "CRC32C".equals(alg) ? value : null,
        "CRC64NVME".equals(alg) ? value : null,
        "SHA1".equals(alg) ? value : null,
        "SHA256".equals(alg) ? value : null,
        type);
  }
}
