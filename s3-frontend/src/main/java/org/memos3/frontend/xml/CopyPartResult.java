package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;

/**
 * UploadPartCopy response: when the copy was written, its (quoted) ETag and, in an upload with a
 * checksum algorithm, the part's checksum in the element of that algorithm.
 */
@JacksonXmlRootElement(localName = "CopyPartResult")
@JsonPropertyOrder({"xmlns", "LastModified", "ETag", "checksum"})
public record CopyPartResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "LastModified") String lastModified,
    @JacksonXmlProperty(localName = "ETag") String etag,
    @JsonUnwrapped ChecksumElements checksum) {

  /** A copied part whose checksum is {@code value} of algorithm {@code alg} (both may be null). */
  public static CopyPartResult of(String lastModified, String etag, String alg, String value) {
    return new CopyPartResult(S3Xml.NS, lastModified, etag, ChecksumElements.of(alg, value));
  }
}
