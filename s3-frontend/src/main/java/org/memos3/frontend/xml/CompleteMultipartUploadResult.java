package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/** CompleteMultipartUpload response. */
@JacksonXmlRootElement(localName = "CompleteMultipartUploadResult")
@JsonPropertyOrder({"xmlns", "Location", "Bucket", "Key", "ETag", "checksum", "ChecksumType"})
public record CompleteMultipartUploadResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Location") String location,
    @JacksonXmlProperty(localName = "Bucket") String bucket,
    @JacksonXmlProperty(localName = "Key") String key,
    @JacksonXmlProperty(localName = "ETag") String etag,
    @JsonUnwrapped ChecksumElements checksum,
    @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {

  /**
   * The result with the object's checksum: algorithm by S3 name, value, and type (COMPOSITE or
   * FULL_OBJECT); all three null for an object without one.
   */
  public static CompleteMultipartUploadResult of(
      String location,
      String bucket,
      String key,
      String etag,
      String alg,
      String value,
      String type) {
    return new CompleteMultipartUploadResult(
        S3Xml.NS, location, bucket, key, etag, ChecksumElements.of(alg, value), type);
  }
}
