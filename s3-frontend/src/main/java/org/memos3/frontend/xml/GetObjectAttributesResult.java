package org.memos3.frontend.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;

/** GetObjectAttributes response: only the attributes asked for are set (the others are null). */
@JacksonXmlRootElement(localName = "GetObjectAttributesResponse")
@JsonPropertyOrder({"xmlns", "ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GetObjectAttributesResult(
    @JacksonXmlProperty(isAttribute = true, localName = "xmlns") String xmlns,
    @JacksonXmlProperty(localName = "ETag") String etag,
    @JacksonXmlProperty(localName = "Checksum") Checksum checksum,
    @JacksonXmlProperty(localName = "ObjectParts") ObjectParts objectParts,
    @JacksonXmlProperty(localName = "StorageClass") String storageClass,
    @JacksonXmlProperty(localName = "ObjectSize") Long objectSize) {

  /** The object's checksum and its type. */
  @JsonPropertyOrder({"checksum", "ChecksumType"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Checksum(
      @JsonUnwrapped ChecksumElements checksum,
      @JacksonXmlProperty(localName = "ChecksumType") String type) {}

  /** A page of a multipart object's parts; Part elements only when the object has checksums. */
  @JsonPropertyOrder({
    "PartsCount",
    "PartNumberMarker",
    "NextPartNumberMarker",
    "MaxParts",
    "IsTruncated",
    "Part"
  })
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ObjectParts(
      @JacksonXmlProperty(localName = "PartsCount") int partsCount,
      @JacksonXmlProperty(localName = "PartNumberMarker") Integer partNumberMarker,
      @JacksonXmlProperty(localName = "NextPartNumberMarker") Integer nextPartNumberMarker,
      @JacksonXmlProperty(localName = "MaxParts") Integer maxParts,
      @JacksonXmlProperty(localName = "IsTruncated") Boolean isTruncated,
      @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "Part")
          List<Part> parts) {}

  /** One part: its number, size and checksum. */
  @JsonPropertyOrder({"PartNumber", "Size", "checksum"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Part(
      @JacksonXmlProperty(localName = "PartNumber") int partNumber,
      @JacksonXmlProperty(localName = "Size") long size,
      @JsonUnwrapped ChecksumElements checksum) {}
}
