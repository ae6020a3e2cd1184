package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** ListParts response. */
@JacksonXmlRootElement(localName = "ListPartsResult")
@JsonPropertyOrder({
  "xmlns",
  "Bucket",
  "Key",
  "UploadId",
  "Initiator",
  "Owner",
  "StorageClass",
  "PartNumberMarker",
  "NextPartNumberMarker",
  "MaxParts",
  "IsTruncated",
  "Part",
  "ChecksumAlgorithm",
  "ChecksumType"
})
public record ListPartsResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "Bucket") String bucket,
    @JacksonXmlProperty(localName = "Key") String key,
    @JacksonXmlProperty(localName = "UploadId") String uploadId,
    @JacksonXmlProperty(localName = "Initiator") Owner initiator,
    @JacksonXmlProperty(localName = "Owner") Owner owner,
    @JacksonXmlProperty(localName = "StorageClass") String storageClass,
    @JacksonXmlProperty(localName = "PartNumberMarker") int partNumberMarker,
    @JacksonXmlProperty(localName = "NextPartNumberMarker") int nextPartNumberMarker,
    @JacksonXmlProperty(localName = "MaxParts") int maxParts,
    @JacksonXmlProperty(localName = "IsTruncated") boolean isTruncated,
    @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Part")
        List<PartEntry> parts,
    @JacksonXmlProperty(localName = "ChecksumAlgorithm") String checksumAlgorithm,
    @JacksonXmlProperty(localName = "ChecksumType") String checksumType) {

  /** One part, with its checksum in the element of its algorithm (none when null). */
  @JsonPropertyOrder({"PartNumber", "LastModified", "ETag", "Size", "checksum"})
  public record PartEntry(
      @JacksonXmlProperty(localName = "PartNumber") int partNumber,
      @JacksonXmlProperty(localName = "LastModified") String lastModified,
      @JacksonXmlProperty(localName = "ETag") String etag,
      @JacksonXmlProperty(localName = "Size") long size,
      @JsonUnwrapped ChecksumElements checksum) {

    /** A part whose checksum is {@code value} of algorithm {@code alg} (S3 name; may be null). */
    public static PartEntry of(
        int partNumber, String lastModified, String etag, long size, String alg, String value) {
      return new PartEntry(partNumber, lastModified, etag, size, ChecksumElements.of(alg, value));
    }
  }
}
